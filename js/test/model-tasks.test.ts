import { describe, expect, it } from "vitest";
import { checkpointInfo, errorText, parseTimestamp, TaskTracker, taskDuration } from "../src/model/tasks";
import { parseSse, rec } from "./helpers";
import tasksSse from "./fixtures/mode-tasks.sse?raw";
import tasksErrorSse from "./fixtures/tasks-error.sse?raw";
import debugSse from "./fixtures/mode-debug.sse?raw";
import checkpointsSse from "./fixtures/mode-checkpoints.sse?raw";

describe("TaskTracker", () => {
  it("pairs each task's start with its result (tasks mode)", () => {
    const t = new TaskTracker();
    const changes = parseSse(tasksSse)
      .filter((e) => e.mode === "tasks")
      .map((e) => t.ingest(e, e.data)!);
    expect(changes.map((c) => [c.task.name, c.started, c.known])).toEqual([
      ["agent", true, false],
      ["agent", false, true],
      ["tools", true, false],
      ["tools", false, true],
      ["research", true, false],
      ["research", false, true],
      ["agent", true, false],
      ["agent", false, true],
    ]);
    // The two agent runs are two tasks.
    expect(changes[0]!.task).not.toBe(changes[6]!.task);
    for (const c of changes.filter((c) => !c.started)) {
      expect(c.task.status).toBe("done");
      // Duration from the arrival times (parseSse spaces events 10 ms apart).
      expect(taskDuration(c.task)).toBeCloseTo(0.01 * (c.task.endSeq! - c.task.startSeq!), 6);
    }
  });

  it("knows the running task of a namespace (for custom events)", () => {
    const t = new TaskTracker();
    t.ingest(rec(0, "tasks", {}), { id: "1", name: "a", input: {} });
    t.ingest(rec(1, "tasks|s:1", {}), { id: "2", name: "inner", input: {} });
    expect(t.current([])!.name).toBe("a");
    expect(t.current(["s:1"])!.name).toBe("inner");
    t.ingest(rec(2, "tasks", {}), { id: "1", name: "a", error: null, result: {} });
    expect(t.current([])).toBeNull();
  });

  it("reports the failing task's error", () => {
    const t = new TaskTracker();
    const evs = parseSse(tasksErrorSse).filter((e) => e.mode === "tasks");
    let last = null;
    for (const e of evs) last = t.ingest(e, e.data);
    expect(last!.task.name).toBe("explode");
    expect(last!.task.status).toBe("error");
    expect(errorText(last!.task.error)).toBe("ValueError: the demo graph failed on purpose");
  });

  it("uses the debug timestamps for durations", () => {
    const t = new TaskTracker();
    const evs = parseSse(debugSse).filter((e) => e.mode === "debug");
    const done = [];
    for (const e of evs) {
      const d = e.data as { type: string; payload: unknown; timestamp: string; step: number };
      if (d.type !== "task" && d.type !== "task_result") continue;
      const c = t.ingest(e, d.payload, { timestamp: d.timestamp, step: d.step })!;
      if (!c.started) done.push(c.task);
    }
    expect(done.map((x) => x.name)).toEqual(["agent", "tools", "research", "agent"]);
    for (const task of done) {
      expect(task.startTs).not.toBeNull();
      const d = taskDuration(task)!;
      expect(d).toBeCloseTo((task.endTs! - task.startTs!) / 1000, 9);
      expect(d).toBeGreaterThanOrEqual(0);
      expect(d).toBeLessThan(5);
    }
    expect(done.map((x) => x.step)).toEqual([1, 2, 3, 4]);
  });

  it("ignores payloads that are not tasks", () => {
    const t = new TaskTracker();
    expect(t.ingest(rec(0, "tasks", 1), 1)).toBeNull();
    expect(t.ingest(rec(0, "tasks", {}), { id: 1, name: "x" })).toBeNull();
  });
});

describe("parseTimestamp", () => {
  it("keeps microseconds", () => {
    const a = parseTimestamp("2026-11-24T21:20:49.972460+00:00");
    const b = parseTimestamp("2026-11-24T21:20:49.974052+00:00");
    expect(b - a).toBeCloseTo(1.592, 3);
    expect(parseTimestamp("2026-11-24T21:20:49Z")).toBe(Date.parse("2026-11-24T21:20:49Z"));
    expect(parseTimestamp("2026-11-24T23:20:49.5+02:00")).toBe(Date.parse("2026-11-24T21:20:49.500Z"));
    expect(Number.isNaN(parseTimestamp(5))).toBe(true);
  });
});

describe("checkpointInfo", () => {
  it("reads step, id, next and tasks of each checkpoint", () => {
    const infos = parseSse(checkpointsSse)
      .filter((e) => e.mode === "checkpoints")
      .map((e) => checkpointInfo(e.data)!);
    expect(infos.map((i) => i.step)).toEqual([-1, 0, 1, 2, 3, 4]);
    expect(infos.map((i) => i.next)).toEqual([["__start__"], ["agent"], ["tools"], ["research"], ["agent"], []]);
    for (const i of infos) expect(i.id).toMatch(/^[0-9a-f-]{36}$/);
    expect(infos[1]!.parentId).toBe(infos[0]!.id);
    expect(infos[0]!.source).toBe("input");
  });

  it("is null for other shapes", () => {
    expect(checkpointInfo(1)).toBeNull();
    expect(checkpointInfo({ a: 1 })).toBeNull();
  });
});
