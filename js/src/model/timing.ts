// Timing (DOM-free): one span per task or node run, placed on the run clock
// (seconds since the run started, the records' `t`), packed into lanes, and
// per-node totals.
//
// Where spans come from, best first:
// - "debug": the task / task_result events of the `debug` mode carry server
//   timestamps; durations are exact. They are placed on the run clock by the
//   first timestamped debug event (its server time = its arrival time).
// - "tasks": the `tasks` mode's start and result events, by arrival time.
// - "arrival": only `updates` were streamed. A node's span runs from the
//   previous update of its namespace (or the run's start: t 0, or the
//   `metadata` event that opens each run) to its own update's arrival: an
//   approximation (parallel nodes look sequential), shown as such.
// Task spans win: arrival spans are used only while no task was seen.
//
// Everything is incremental: an event costs O(lanes of its group).

import type { EventRecord } from "../types";
import { nsKey, segmentNode } from "./ns";
import { parseTimestamp, TaskTracker, type TaskState, type TaskStatus } from "./tasks";
import { isPlainObject as isObj } from "../json";

export type SpanSource = "tasks" | "debug" | "arrival";

export interface Span {
  /** Unique: namespace and task id, or the update's seq and node. */
  key: string;
  node: string;
  ns: string[];
  /** Node names of the namespace ("team", "research"): the group the span is drawn in. */
  path: string[];
  /** The group key: the path joined with " › " ("" for the root graph). */
  group: string;
  step: number | null;
  /** Seconds since the run started. */
  start: number;
  /** null while the task runs. */
  end: number | null;
  source: SpanSource;
  status: TaskStatus;
  /** The event that introduced the span (a task's start, the node's update). */
  seq: number;
  /** Index among the lanes of its group: spans that overlap in time get different lanes. */
  lane: number;
}

export interface NodeStats {
  /** "research › read": the node under its namespace path. */
  label: string;
  node: string;
  path: string[];
  calls: number;
  /** Seconds, over the finished calls. */
  total: number;
  max: number;
}

/** Human words for a span's source (tooltips, the waterfall's legend). */
export const SOURCE_TEXT: Record<SpanSource, string> = {
  debug: "server timestamps (debug)",
  tasks: "task events (arrival)",
  arrival: "≈ from arrival gaps",
};

export const GROUP_SEP = " › ";
const SEP = GROUP_SEP;

/**
 * The spans of one source kind, with their lanes and per-node totals. A set
 * of `final` spans (arrival gaps: one per update, its times known when it is
 * added) keeps no lookup by key and no per-span bookkeeping for re-counting:
 * an event costs its span, not three map entries besides.
 */
export class SpanSet {
  readonly spans: Span[] = [];
  private readonly byKey = new Map<string, Span>();
  /** Per group, the last span of each lane. */
  private readonly lanes = new Map<string, Span[]>();
  /** Per node label, the totals and the duration each finished span counts for. */
  private readonly stats = new Map<string, NodeStats & { dirty: boolean; durations: Map<Span, number> }>();
  /** Groups in the order first seen. */
  readonly groups: string[] = [];

  constructor(private readonly final = false) {}

  /** The span of `key` (never for a final set: its spans do not change). */
  get(key: string): Span | undefined {
    return this.byKey.get(key);
  }

  add(span: Omit<Span, "lane" | "group">): Span {
    const group = span.path.join(SEP);
    let lanes = this.lanes.get(group);
    if (!lanes) {
      lanes = [];
      this.lanes.set(group, lanes);
      this.groups.push(group);
    }
    // The first lane whose last span ended by this one's start.
    let lane = lanes.findIndex((s) => s.end !== null && s.end <= span.start);
    if (lane < 0) lane = lanes.length;
    // Field by field: a spread copy takes ~3x the memory (50,000 spans of a long run).
    const full: Span = {
      key: span.key,
      node: span.node,
      ns: span.ns,
      path: span.path,
      group,
      step: span.step,
      start: span.start,
      end: span.end,
      source: span.source,
      status: span.status,
      seq: span.seq,
      lane,
    };
    lanes[lane] = full;
    this.spans.push(full);
    if (!this.final) this.byKey.set(full.key, full);
    this.count(full);
    return full;
  }

  /** Take a span's new times into the totals (a task ended, or got its server times). */
  count(span: Span): void {
    if (span.end === null) return;
    const d = Math.max(0, span.end - span.start);
    const label = span.group ? span.group + SEP + span.node : span.node;
    let s = this.stats.get(label);
    if (!s) {
      s = { label, node: span.node, path: span.path, calls: 0, total: 0, max: 0, dirty: false, durations: new Map() };
      this.stats.set(label, s);
    }
    if (this.final) {
      // Counted once, as added: nothing to remember for a later change.
      s.calls += 1;
      s.total += d;
      if (d > s.max) s.max = d;
      return;
    }
    const old = s.durations.get(span);
    if (old === undefined) s.calls += 1;
    else {
      s.total -= old;
      if (old >= s.max && d < old) s.dirty = true; // the max may have shrunk
    }
    s.durations.set(span, d);
    s.total += d;
    if (d > s.max) s.max = d;
  }

  /** Per-node totals, in the order the nodes first finished. */
  nodeStats(): NodeStats[] {
    const out: NodeStats[] = [];
    for (const s of this.stats.values()) {
      if (s.dirty) {
        s.max = 0;
        for (const d of s.durations.values()) s.max = Math.max(s.max, d);
        s.dirty = false;
      }
      out.push({ label: s.label, node: s.node, path: s.path, calls: s.calls, total: s.total, max: s.max });
    }
    return out;
  }
}

export class TimingModel {
  /** Spans from `tasks` / `debug` events. */
  readonly tasks = new SpanSet();
  /** Spans from `updates` arrival gaps. */
  readonly arrival = new SpanSet(true);
  private readonly tracker = new TaskTracker();
  /** Run time (s) and server time (ms) of the first timestamped debug event. */
  private anchor: { t: number; ts: number } | null = null;
  /** Per namespace, the arrival of the last update (where the next node's span starts). */
  private readonly marks = new Map<string, number>();
  /** Per namespace, its node path (one array for all the spans of a namespace). */
  private readonly paths = new Map<string, string[]>();
  /** Time of the newest event (the end of running spans). */
  last = 0;
  /** Events taken so far. */
  seen = 0;

  /** The spans to show: from tasks when any were streamed, else from arrival gaps. */
  get active(): SpanSet {
    return this.tasks.spans.length > 0 ? this.tasks : this.arrival;
  }

  ingest(records: Iterable<EventRecord>): void {
    for (const ev of records) this.take(ev);
  }

  private take(ev: EventRecord): void {
    this.seen += 1;
    if (Number.isFinite(ev.t)) this.last = Math.max(this.last, ev.t);
    if (ev.mode === "tasks") this.task(ev, ev.data, {});
    else if (ev.mode === "debug") {
      const d = ev.data;
      if (!isObj(d)) return;
      if (this.anchor === null && Number.isFinite(ev.t)) {
        const ts = parseTimestamp(d.timestamp);
        if (Number.isFinite(ts)) this.anchor = { t: ev.t, ts };
      }
      if (d.type === "task" || d.type === "task_result") this.task(ev, d.payload, { timestamp: d.timestamp, step: d.step });
    } else if (ev.mode === "updates") this.update(ev);
    else if (ev.mode === "metadata" && ev.ns.length === 0 && Number.isFinite(ev.t)) this.marks.set("", ev.t);
  }

  private task(ev: EventRecord, payload: unknown, extra: { timestamp?: unknown; step?: unknown }): void {
    const change = this.tracker.ingest(ev, payload, extra);
    if (!change) return;
    const task = change.task;
    const key = `${nsKey(task.ns)}\u0000${task.id}`;
    const times = this.times(task);
    if (!times) return;
    let span = this.tasks.get(key);
    if (!span) {
      span = this.tasks.add({
        key,
        node: task.name,
        ns: task.ns,
        path: task.ns.map(segmentNode),
        step: task.step,
        seq: ev.seq,
        status: task.status,
        ...times,
      });
      return;
    }
    Object.assign(span, times);
    span.step = task.step;
    span.status = task.status;
    this.tasks.count(span);
  }

  /** A task's span times: on the server clock when its start has a timestamp (and its end too, once known). */
  private times(task: TaskState): { start: number; end: number | null; source: SpanSource } | null {
    const a = this.anchor;
    if (a !== null && task.startTs !== null && (task.endTs !== null || task.endT === null)) {
      const at = (ts: number) => a.t + (ts - a.ts) / 1000;
      return { start: at(task.startTs), end: task.endTs !== null ? at(task.endTs) : null, source: "debug" };
    }
    const start = task.startT ?? task.endT;
    if (start === null) return null;
    return { start, end: task.endT, source: "tasks" };
  }

  private update(ev: EventRecord): void {
    if (!Number.isFinite(ev.t) || !isObj(ev.data)) return;
    const k = nsKey(ev.ns);
    const start = this.mark(ev.ns);
    this.marks.set(k, ev.t);
    let path = this.paths.get(k);
    if (!path) this.paths.set(k, (path = ev.ns.map(segmentNode)));
    for (const node of Object.keys(ev.data)) {
      if (node.startsWith("__")) continue; // __interrupt__, __metadata__: not nodes
      this.arrival.add({ key: `${ev.seq}\u0000${node}`, node, ns: ev.ns, path, step: null, start, end: ev.t, source: "arrival", status: "done", seq: ev.seq });
    }
  }

  /** Where a namespace's next arrival span starts: its last update, else (first time) its parent's mark. */
  private mark(ns: readonly string[]): number {
    for (let depth = ns.length; depth >= 0; depth--) {
      const m = this.marks.get(nsKey(ns.slice(0, depth)));
      if (m !== undefined) return m;
    }
    return 0;
  }
}
