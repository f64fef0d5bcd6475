import { describe, expect, it } from "vitest";
import { TaskTracker } from "../src/model/tasks";
import { TimingModel, type Span } from "../src/model/timing";
import type { EventRecord } from "../src/types";
import { parseSse, rec } from "./helpers";
import parallelSse from "./fixtures/parallel.sse?raw";
import nestedSse from "./fixtures/nested.sse?raw";
import tasksErrorSse from "./fixtures/tasks-error.sse?raw";

/** Records renumbered 0.. in order, times 0.9 + 0.01 * seq (as parseSse), keeping only `modes`. */
function only(records: EventRecord[], modes: string[]): EventRecord[] {
  return records.filter((r) => modes.includes(r.mode)).map((r, i) => ({ ...r, seq: i, t: 0.9 + 0.01 * i }));
}

function timing(records: EventRecord[]): TimingModel {
  const m = new TimingModel();
  m.ingest(records);
  return m;
}

const ms = (s: Span) => (s.end === null ? null : Math.round((s.end - s.start) * 1e6) / 1e3);
const row = (s: Span) => [s.group, s.node, s.source, s.lane];

describe("timing: task spans", () => {
  it("takes durations from the debug timestamps, parallel tasks in separate lanes", () => {
    const m = timing(parseSse(parallelSse));
    const spans = m.active.spans;
    expect(m.active).toBe(m.tasks);
    expect(spans.map(row)).toEqual([
      ["", "plan", "debug", 0],
      ["", "fetch_a", "debug", 0],
      ["", "fetch_b", "debug", 1],
      ["", "fetch_c", "debug", 2],
      ["", "merge", "debug", 0],
    ]);
    // Microseconds between the task and task_result timestamps of the fixture.
    expect(spans.map(ms)).toEqual([3.255, 66.218, 126.71, 36.702, 2.153]);
    // The three fetches start together (server time), merge after the slowest.
    expect(spans[2]!.start - spans[1]!.start).toBeCloseTo(0.000011, 6);
    expect(spans[4]!.start).toBeGreaterThan(spans[2]!.end!);
    // Placed on the run clock by the first debug event (seq 1, t 0.91 here).
    expect(spans[0]!.start).toBeCloseTo(0.91 + (0.608434 - 0.605955), 5);
    expect(spans.every((s) => s.status === "done")).toBe(true);
  });

  it("falls back to the arrival of tasks events without debug", () => {
    const m = timing(only(parseSse(parallelSse), ["metadata", "tasks", "updates"]));
    const spans = m.active.spans;
    expect(spans.map(row)).toEqual([
      ["", "plan", "tasks", 0],
      ["", "fetch_a", "tasks", 0],
      ["", "fetch_b", "tasks", 1],
      ["", "fetch_c", "tasks", 2],
      ["", "merge", "tasks", 0],
    ]);
    // start and result events 10 ms apart per event in between.
    expect(spans.map(ms)).toEqual([20, 60, 70, 20, 20]);
    expect(spans.map((s) => s.seq)).toEqual([1, 4, 5, 6, 13]);
  });

  it("nests subgraph tasks under their parent's group, inside the parent's span", () => {
    const m = timing(parseSse(nestedSse));
    const spans = m.active.spans;
    expect(m.tasks.groups).toEqual(["", "team", "team › research"]);
    expect(spans.map((s) => [s.group, s.node])).toEqual([
      ["", "team"],
      ["team", "agent"],
      ["team", "tools"],
      ["team", "research"],
      ["team › research", "read"],
      ["team › research", "summarize"],
      ["team", "agent"],
    ]);
    const inside = (inner: Span, outer: Span) => inner.start >= outer.start && inner.end! <= outer.end!;
    expect(spans.slice(1).every((s) => inside(s, spans[0]!))).toBe(true);
    expect(inside(spans[4]!, spans[3]!) && inside(spans[5]!, spans[3]!)).toBe(true);
    expect(spans.every((s) => s.lane === 0)).toBe(true);
  });

  it("marks the failing task", () => {
    const m = timing(parseSse(tasksErrorSse));
    expect(m.active.spans.map((s) => [s.node, s.status, s.source])).toEqual([
      ["prepare", "done", "debug"],
      ["explode", "error", "debug"],
    ]);
  });

  it("keeps a running task open and packs a later task beside it", () => {
    const m = timing([
      rec(0, "tasks", { id: "1", name: "slow", input: {}, triggers: [] }),
      rec(1, "tasks", { id: "2", name: "quick", input: {}, triggers: [] }),
      rec(2, "tasks", { id: "2", name: "quick", result: {}, error: null, interrupts: [] }),
      rec(3, "tasks", { id: "3", name: "next", input: {}, triggers: [] }),
    ]);
    const [slow, quick, next] = m.active.spans;
    expect(slow!.end).toBeNull();
    expect(slow!.status).toBe("running");
    expect([slow!.lane, quick!.lane, next!.lane]).toEqual([0, 1, 1]);
    expect(m.last).toBeCloseTo(0.3, 9);
  });

  it("keeps the server times whichever of tasks and debug reports a task first", () => {
    const ts = (ms: number) => new Date(Date.UTC(2026, 0, 1) + ms).toISOString();
    const start = { id: "1", name: "n", input: {}, triggers: [] };
    const end = { id: "1", name: "n", result: {}, error: null, interrupts: [] };
    const m = timing([
      rec(0, "debug", { type: "task", step: 1, timestamp: ts(0), payload: start }),
      rec(1, "tasks", start),
      rec(2, "debug", { type: "task_result", step: 1, timestamp: ts(250), payload: end }),
      rec(3, "tasks", end),
    ]);
    const [span] = m.active.spans;
    expect(span!.source).toBe("debug");
    expect(ms(span!)).toBe(250);
    expect(span!.step).toBe(1);
  });
});

describe("timing: per-node totals", () => {
  it("counts calls, total and max per node under its path", () => {
    const m = timing(parseSse(nestedSse));
    const stats = Object.fromEntries(m.active.nodeStats().map((s) => [s.label, [s.calls, Math.round(s.total * 1000), Math.round(s.max * 1000)]]));
    expect(stats).toEqual({
      team: [1, 460, 460],
      "team › agent": [2, 190, 130],
      "team › tools": [1, 30, 30],
      "team › research": [1, 180, 180],
      "team › research › read": [1, 50, 50],
      "team › research › summarize": [1, 90, 90],
    });
  });

  it("corrects a duration when the server times arrive after the task's end", () => {
    const ts = (ms: number) => new Date(Date.UTC(2026, 0, 1) + ms).toISOString();
    const start = { id: "1", name: "n", input: {}, triggers: [] };
    const end = { id: "1", name: "n", result: {}, error: null, interrupts: [] };
    const m = timing([
      rec(0, "tasks", start, { t: 1 }),
      rec(1, "debug", { type: "task", step: 1, timestamp: ts(0), payload: start }, { t: 1 }),
      rec(2, "tasks", end, { t: 5 }),
    ]);
    expect(m.active.nodeStats()[0]).toMatchObject({ calls: 1, total: 4, max: 4 });
    m.ingest([rec(3, "debug", { type: "task_result", step: 1, timestamp: ts(500), payload: end }, { t: 5 })]);
    expect(m.active.nodeStats()[0]).toMatchObject({ calls: 1, total: 0.5, max: 0.5 });
  });
});

describe("timing: arrival gaps (updates only)", () => {
  it("spans each node from the previous update (or the run's metadata) to its own", () => {
    const m = timing(only(parseSse(parallelSse), ["metadata", "updates"]));
    expect(m.active).toBe(m.arrival);
    const spans = m.active.spans;
    expect(spans.map(row)).toEqual([
      ["", "plan", "arrival", 0],
      ["", "fetch_c", "arrival", 0],
      ["", "fetch_a", "arrival", 0],
      ["", "fetch_b", "arrival", 0],
      ["", "merge", "arrival", 0],
    ]);
    expect(spans.map((s) => [Math.round(s.start * 100), Math.round(s.end! * 100)])).toEqual([
      [90, 91],
      [91, 92],
      [92, 93],
      [93, 94],
      [94, 95],
    ]);
  });

  it("starts a subgraph's first node where its parent's previous node ended", () => {
    const records = only(parseSse(nestedSse), ["metadata", "updates"]);
    const m = timing(records);
    const byNode = (node: string) => m.active.spans.find((s) => s.node === node)!;
    const tools = byNode("tools");
    expect(byNode("read").start).toBe(tools.end);
    expect(byNode("read").group).toBe("team › research");
    expect(byNode("summarize").start).toBe(byNode("read").end);
    expect(byNode("research").start).toBe(tools.end);
    expect(byNode("team").start).toBeCloseTo(0.9, 9); // the metadata event
  });

  it("skips __interrupt__ and restarts the clock at a resumed run's metadata", () => {
    const m = timing([
      rec(0, "metadata", { run_id: "a" }, { t: 0.5 }),
      rec(1, "updates", { ask: {} }, { t: 1 }),
      rec(2, "updates", { __interrupt__: [{ value: "?" }] }, { t: 1.5 }),
      rec(3, "metadata", { run_id: "b" }, { t: 10 }),
      rec(4, "updates", { ask: {}, tell: {} }, { t: 12 }),
    ]);
    expect(m.active.spans.map((s) => [s.node, s.start, s.end, s.lane])).toEqual([
      ["ask", 0.5, 1, 0],
      ["ask", 10, 12, 0],
      ["tell", 10, 12, 1],
    ]);
  });

  it("gives way to task spans as soon as a task is seen", () => {
    const m = timing(only(parseSse(parallelSse), ["metadata", "updates"]).slice(0, 2));
    expect(m.active.spans[0]!.source).toBe("arrival");
    m.ingest([rec(2, "tasks", { id: "x", name: "later", input: {}, triggers: [] }, { t: 2 })]);
    expect(m.active.spans.map((s) => s.source)).toEqual(["tasks"]);
  });
});

describe("timing: incremental", () => {
  it("gives the same spans whatever the batches", () => {
    const records = parseSse(parallelSse);
    const whole = timing(records).active.spans;
    for (let cut = 1; cut < records.length; cut += 3) {
      const m = new TimingModel();
      m.ingest(records.slice(0, cut));
      m.ingest(records.slice(cut));
      expect(m.active.spans).toEqual(whole);
    }
  });

  it("takes 50,000 events quickly", () => {
    const m = new TimingModel();
    const t0 = performance.now();
    for (let i = 0; i < 50_000; i += 500) {
      const batch = [];
      for (let j = i; j < i + 500; j++) batch.push(rec(j, "updates", { [`n${j % 7}`]: { v: j } }, { t: j * 0.001 }));
      m.ingest(batch);
    }
    expect(performance.now() - t0).toBeLessThan(2000);
    expect(m.active.spans.length).toBe(50_000);
    expect(m.active.nodeStats().reduce((n, s) => n + s.calls, 0)).toBe(50_000);
  });
});

describe("timing: bad input", () => {
  it("skips payloads that are not tasks or updates", () => {
    const m = timing([
      rec(0, "tasks", "not a task"),
      rec(1, "tasks", { id: 1, name: "n" }),
      rec(2, "debug", ["x"]),
      rec(3, "debug", { type: "task", timestamp: "yesterday", payload: null }),
      rec(4, "updates", "text"),
      rec(5, "updates", { n: {} }, { t: NaN }),
    ]);
    expect(m.active.spans).toEqual([]);
    expect(m.seen).toBe(6);
  });
});

describe("TaskTracker with tasks and debug together", () => {
  it("ends a task reported by both modes once (no stale running task)", () => {
    const t = new TaskTracker();
    const start = { id: "1", name: "n", input: {}, triggers: [] };
    t.ingest(rec(0, "tasks", start), start);
    t.ingest(rec(1, "debug", {}), start, { timestamp: "2026-01-01T00:00:00+00:00" });
    t.ingest(rec(2, "tasks", {}), { id: "1", name: "n", result: {}, error: null });
    expect(t.current([])).toBeNull();
    expect(t.get([], "1")!.startTs).toBe(Date.UTC(2026, 0, 1));
  });
});
