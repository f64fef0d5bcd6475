// Which events and top-level rows a Filter keeps (DOM-free). An event
// matches when its row's node, its kind and its data text all pass; a row
// matches when one of its events does (a node entry shows when one of its
// tokens, subgraph events or its update matches). Events are taken in
// arrival order, O(1) each (plus the text search while one is set), so the
// list of matching rows grows with appends; a new filter rescans what was
// taken, O(events). Text search lowercases each event's data text once, the
// first time a search needs it, and keeps it: no parse, no decode per
// keystroke.

import type { Filter } from "../filter";
import { dataText } from "../records";
import type { EventRecord } from "../types";
import type { Row, TimelineModel } from "./rows";
import { INTERRUPT_KEY } from "./values";

/** The kind a filter picks by: the stream mode ("messages/partial" -> "messages"). */
export function eventKind(ev: EventRecord): string {
  const slash = ev.mode.indexOf("/");
  return slash >= 0 ? ev.mode.slice(0, slash) : ev.mode;
}

/**
 * The top-level node names of a row, as the timeline placed it: a node
 * entry's node, the nodes of a standalone update, the node a custom event
 * came from, a task's name. Empty for rows of no node (values, metadata, …).
 */
export function rowNodes(row: Row): readonly string[] {
  const op = row.ops[0];
  if (!op) return [];
  switch (op.op) {
    case "mount":
      return op.slot.node ? [op.slot.node] : [];
    case "task":
      return op.task.name ? [op.task.name] : [];
    case "entry": {
      const spec = op.spec;
      if (spec.type === "custom") return spec.node ? [spec.node] : [];
      if (spec.type !== "updates") return [];
      const data = spec.data ?? op.ev.data;
      if (typeof data !== "object" || data === null || Array.isArray(data)) return [];
      return Object.keys(data).filter((k) => k !== INTERRUPT_KEY);
    }
    default:
      return [];
  }
}

/** What the filter looks at for each event (an EventStore). */
export interface EventSource {
  get(seq: number): EventRecord | undefined;
}

/** What the find toolbar shows. */
export interface FindInfo {
  /** Top-level node names seen so far. */
  readonly nodes: readonly string[];
  /** Event kinds seen so far. */
  readonly kinds: readonly string[];
  /** Events matching the filter (all of them when none is set). */
  readonly matched: number;
  /** Events taken. */
  readonly total: number;
  readonly active: boolean;
}

/** How the list of matching rows changed in an update. */
export type RowsChange = "none" | "append" | "insert";

const NO_FILTER: Filter = { node: null, kinds: new Set(), text: "" };

export class EventFilter {
  private filter: Filter = NO_FILTER;
  private needle = "";
  /** Lowercased data text per seq, built up to the highest seq a search read. */
  private readonly hay: string[] = [];
  /** Node names per row (rows naming the same nodes share one list). */
  private readonly nodesOfRow: Array<readonly string[]> = [];
  private readonly nameLists = new Map<string, readonly string[]>();
  private readonly nodeSet = new Set<string>();
  private readonly kindSet = new Set<string>();
  /** Per row: it holds a matching event (only while a filter is active). */
  private hit: boolean[] = [];
  private taken = 0;
  private count = 0;
  /** The matching rows, in order (only while a filter is active). */
  rows: number[] = [];

  constructor(
    private readonly model: TimelineModel,
    private readonly events: EventSource,
    private readonly textOf: (ev: EventRecord) => string = dataText,
  ) {}

  /** True when some event may not match. */
  get active(): boolean {
    const f = this.filter;
    return f.node !== null || f.kinds.size > 0 || this.needle !== "";
  }

  /** Events taken so far. */
  get total(): number {
    return this.taken;
  }

  /** Events that match, of those taken. */
  get matched(): number {
    return this.active ? this.count : this.taken;
  }

  /** Top-level node names seen so far, in order of appearance. */
  nodes(): string[] {
    return [...this.nodeSet];
  }

  /** Event kinds seen so far, in order of appearance. */
  kinds(): string[] {
    return [...this.kindSet];
  }

  info(): FindInfo {
    return { nodes: this.nodes(), kinds: this.kinds(), matched: this.matched, total: this.total, active: this.active };
  }

  /** Use `filter` from now on: rescans the events taken. */
  set(filter: Filter): void {
    this.filter = filter;
    this.needle = filter.text.trim().toLowerCase();
    this.hit = [];
    this.rows = [];
    this.count = 0;
    if (!this.active) return;
    for (let seq = 0; seq < this.taken; seq++) this.check(seq);
    for (let r = 0; r < this.hit.length; r++) if (this.hit[r]) this.rows.push(r);
  }

  /** Take the events the model placed since the last call. */
  update(): RowsChange {
    let change: RowsChange = "none";
    const rows = this.model.rows;
    while (this.nodesOfRow.length < rows.length) {
      const names = this.shared(rowNodes(rows[this.nodesOfRow.length]!));
      this.nodesOfRow.push(names);
      for (const name of names) this.nodeSet.add(name);
    }
    const end = this.model.length;
    for (; this.taken < end; this.taken++) {
      const seq = this.taken;
      const ev = this.events.get(seq);
      if (ev) this.kindSet.add(eventKind(ev));
      if (!this.active) continue;
      const row = this.check(seq);
      if (row < 0) continue;
      const last = this.rows.length > 0 ? this.rows[this.rows.length - 1]! : -1;
      if (row > last) {
        this.rows.push(row);
        if (change === "none") change = "append";
      } else {
        this.rows.splice(lowerBound(this.rows, row), 0, row);
        change = "insert";
      }
    }
    return change;
  }

  /** The list of these names held already, else `names` (50,000 rows of one node hold one list). */
  private shared(names: readonly string[]): readonly string[] {
    const key = names.length === 1 ? names[0]! : names.join("\u0000");
    const held = this.nameLists.get(key);
    if (held) return held;
    this.nameLists.set(key, names);
    return names;
  }

  /** Position of `row` among the matching rows; -1 when it does not match. */
  position(row: number): number {
    const i = lowerBound(this.rows, row);
    return this.rows[i] === row ? i : -1;
  }

  /** Position of the first matching row at or after `row` (else the last one); -1 when none match. */
  nearest(row: number): number {
    if (this.rows.length === 0) return -1;
    return Math.min(lowerBound(this.rows, row), this.rows.length - 1);
  }

  /** Does event `seq` match the filter? */
  matches(seq: number): boolean {
    const ev = this.events.get(seq);
    if (!ev) return false;
    const f = this.filter;
    if (f.kinds.size > 0 && !f.kinds.has(eventKind(ev))) return false;
    if (f.node !== null) {
      const row = this.model.rowOf(seq);
      if (row < 0 || !(this.nodesOfRow[row] ?? []).includes(f.node)) return false;
    }
    return this.needle === "" || this.text(seq).includes(this.needle);
  }

  /**
   * Count event `seq` if it matches and mark its row: the row's index when
   * it was not marked yet, else -1.
   */
  private check(seq: number): number {
    if (!this.matches(seq)) return -1;
    this.count++;
    const row = this.model.rowOf(seq);
    if (row < 0 || this.hit[row]) return -1;
    this.hit[row] = true;
    return row;
  }

  private text(seq: number): string {
    const hay = this.hay;
    while (hay.length <= seq) {
      const ev = this.events.get(hay.length);
      hay.push(ev ? this.textOf(ev).toLowerCase() : "");
    }
    return hay[seq]!;
  }
}

/** First index of sorted `list` whose value is >= `x`. */
function lowerBound(list: readonly number[], x: number): number {
  let lo = 0;
  let hi = list.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (list[mid]! < x) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}
