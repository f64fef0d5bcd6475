// The event list of one view: append-only, idempotent by seq, independent of
// the DOM (a virtualized list can later read it by index).

import type { EventRecord } from "./types";

export interface AppendResult {
  /** Seq of the first event added (the old length). */
  start: number;
  /** Number of events added (0 when everything was already held). */
  added: number;
  /** True when `from` lies past the end: nothing was added, re-ask with hello. */
  gap: boolean;
}

/** Called with the half-open range [start, end) of newly held events. */
export type StoreListener = (start: number, end: number) => void;

export class EventStore {
  private readonly records: EventRecord[] = [];
  private readonly ordinals: number[] = [];
  private readonly modeCounts = new Map<string, number>();
  private readonly listeners = new Set<StoreListener>();

  get length(): number {
    return this.records.length;
  }

  /** The event with this seq, or undefined. */
  get(seq: number): EventRecord | undefined {
    return this.records[seq];
  }

  /** Events in [start, end). */
  slice(start = 0, end = this.records.length): EventRecord[] {
    return this.records.slice(start, end);
  }

  /** 0-based index of event `seq` among the events of its mode (e.g. step - 1 for updates). */
  ordinal(seq: number): number {
    return this.ordinals[seq] ?? -1;
  }

  /**
   * Add `events`, the first of which has seq `from`. Events already held are
   * skipped; a `from` past the end is a gap and changes nothing.
   */
  append(from: number, events: readonly unknown[]): AppendResult {
    const start = this.records.length;
    if (!Number.isInteger(from) || from < 0) return { start, added: 0, gap: false };
    if (from > start) return { start, added: 0, gap: true };
    for (let i = start - from; i < events.length; i++) {
      const rec = normalize(events[i], from + i);
      this.records.push(rec);
      const n = this.modeCounts.get(rec.mode) ?? 0;
      this.ordinals.push(n);
      this.modeCounts.set(rec.mode, n + 1);
    }
    const end = this.records.length;
    if (end > start) {
      for (const fn of [...this.listeners]) {
        try {
          fn(start, end);
        } catch (err) {
          console.error("lgwidget: store listener failed", err);
        }
      }
    }
    return { start, added: end - start, gap: false };
  }

  subscribe(fn: StoreListener): () => void {
    this.listeners.add(fn);
    return () => {
      this.listeners.delete(fn);
    };
  }
}

/**
 * Make sure a record has the fields the renderers rely on. Well-formed records
 * pass through untouched; anything else is repaired so one bad record cannot
 * break the timeline. The position decides the seq.
 */
export function normalize(value: unknown, seq: number): EventRecord {
  if (typeof value !== "object" || value === null || Array.isArray(value)) {
    return { seq, event: "unknown", mode: "unknown", ns: [], data: value, id: null, t: NaN };
  }
  const r = value as Partial<EventRecord>;
  if (
    r.seq === seq &&
    typeof r.event === "string" &&
    typeof r.mode === "string" &&
    Array.isArray(r.ns) &&
    typeof r.t === "number"
  ) {
    return r as EventRecord;
  }
  const event = typeof r.event === "string" ? r.event : typeof r.mode === "string" ? r.mode : "unknown";
  const bar = event.indexOf("|");
  const rec: EventRecord = {
    seq,
    event,
    mode: typeof r.mode === "string" ? r.mode : bar >= 0 ? event.slice(0, bar) : event,
    ns: Array.isArray(r.ns) ? r.ns.map(String) : bar >= 0 ? event.slice(bar + 1).split("|") : [],
    data: r.data,
    id: typeof r.id === "string" ? r.id : null,
    t: typeof r.t === "number" ? r.t : NaN,
  };
  if (r.raw) rec.raw = true;
  return rec;
}
