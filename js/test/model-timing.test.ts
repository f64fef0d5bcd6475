import { describe, expect, it } from "vitest";
import { TaskTracker } from "../src/model/tasks";
import { GROUP_SEP, TimingModel, type Span } from "../src/model/timing";
import type { EventRecord } from "../src/types";
import { parseSse, rec } from "./helpers";
import nestedSse from "./fixtures/nested.sse?raw";
import goldenText from "../../tests/golden/timing.json?raw";

// The timing rules are checked against the golden cases shared with the
// kernel (tests/golden/timing.json; tests/unit/test_timing.py checks
// lgwidget/exports/timing.py against the same file), with the model's counters (seen,
// last) checked on each. What the file cannot express (per-node totals, the
// order of groups, NaN times, batches) is tested below it.

/** A golden row: the keys of the kernel's rows (lgwidget.exports.timing.timings). */
interface GoldenRow {
  node: string;
  ns: string[];
  group: string;
  start: number;
  end: number | null;
  duration: number | null;
  source: string;
  status: string;
  step: number | null;
  seq: number;
  lane: number;
}

interface GoldenCase {
  name: string;
  events: EventRecord[];
  expected: GoldenRow[];
}

const golden = JSON.parse(goldenText) as { tolerance: number; cases: GoldenCase[] };

/**
 * A span as a golden row: the one place where this side's keys map to the kernel's.
 * - node, ns, group, start, end, source, status, step, seq, lane: the same name and meaning.
 * - duration: the kernel's row has it, a Span does not; it is what the waterfall
 *   shows and totals (SpanSet.count): max(0, end - start), null while running.
 * - path: the group before joining (checked: path.join(GROUP_SEP) is group); not a row key.
 * - key: the span's lookup key in its SpanSet; not a row key.
 */
function goldenRow(s: Span): GoldenRow {
  expect(s.path.join(GROUP_SEP)).toBe(s.group);
  return {
    node: s.node,
    ns: s.ns,
    group: s.group,
    start: s.start,
    end: s.end,
    duration: s.end === null ? null : Math.max(0, s.end - s.start),
    source: s.source,
    status: s.status,
    step: s.step,
    seq: s.seq,
    lane: s.lane,
  };
}

const TIMES = ["start", "end", "duration"] as const;

/** `rows` with each time within the file's tolerance of the expected one replaced by it (so toEqual shows the real misses). */
function withinTolerance(rows: GoldenRow[], expected: GoldenRow[]): GoldenRow[] {
  return rows.map((row, i) => {
    const want = expected[i];
    if (!want) return row;
    const out = { ...row };
    for (const key of TIMES) {
      const a = row[key];
      const b = want[key];
      if (a !== null && b !== null && Math.abs(a - b) <= golden.tolerance) out[key] = b;
    }
    return out;
  });
}

function timing(records: EventRecord[]): TimingModel {
  const m = new TimingModel();
  m.ingest(records);
  return m;
}

describe("timing: the golden cases", () => {
  it.each(golden.cases.map((c) => [c.name, c] as const))("%s", (_name, c) => {
    const m = timing(c.events);
    const rows = m.active.spans.map(goldenRow);
    expect(withinTolerance(rows, c.expected)).toEqual(c.expected);
    // Task spans when any task made one, else arrival spans.
    expect(m.active).toBe(m.tasks.spans.length > 0 ? m.tasks : m.arrival);
    expect(rows.every((r) => (r.source === "arrival") === (m.active === m.arrival))).toBe(true);
    // Every event is counted, skipped or not; last is the newest finite time (0 before any).
    expect(m.seen).toBe(c.events.length);
    const times = c.events.map((e) => e.t).filter((t) => Number.isFinite(t));
    expect(m.last).toBe(Math.max(0, ...times));
  });

  it("gives the same spans whatever the batches the events come in", () => {
    for (const c of golden.cases) {
      const whole = timing(c.events).active.spans;
      for (let cut = 1; cut < c.events.length; cut++) {
        const m = new TimingModel();
        m.ingest(c.events.slice(0, cut));
        m.ingest(c.events.slice(cut));
        expect(m.active.spans, `${c.name}, cut at ${cut}`).toEqual(whole);
      }
    }
  });
});

describe("timing: the model's own state", () => {
  it("lists the groups in the order first seen", () => {
    const m = timing(parseSse(nestedSse));
    expect(m.tasks.groups).toEqual(["", "team", "team › research"]);
  });

  it("skips an event whose time is NaN, and counts it", () => {
    // JSON has no NaN: the golden file has t missing and null instead.
    const m = timing([
      rec(0, "tasks", { id: "1", name: "n", input: {}, triggers: [] }, { t: NaN }),
      rec(1, "updates", { n: {} }, { t: NaN }),
    ]);
    expect(m.active.spans).toEqual([]);
    expect(m.seen).toBe(2);
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

describe("timing: incremental", () => {
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
