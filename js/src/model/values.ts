// State diffs for `values` events (DOM-free): what changed from one full
// state to the next, per namespace.

import type { EventRecord } from "../types";
import { nsKey } from "./ns";
import { isPlainObject as isObj } from "../json";

export const INTERRUPT_KEY = "__interrupt__";

export interface StateDiff {
  /** The first state seen in this namespace: everything is new. */
  initial: boolean;
  added: string[];
  removed: string[];
  /** Keys whose value changed (lists that only grew are in `appended`). */
  changed: string[];
  /** List keys that only grew: the new items, in order. */
  appended: Array<{ key: string; items: unknown[] }>;
  /** Keys with the same value as before. */
  unchanged: string[];
  /** True when the state itself is not an object (then it is shown whole). */
  opaque: boolean;
}

const MAX_DEPTH = 64;

/** Structural equality of JSON values; very deep values compare unequal past MAX_DEPTH. */
export function deepEqual(a: unknown, b: unknown, depth = 0): boolean {
  if (a === b) return true;
  if (typeof a !== "object" || typeof b !== "object" || a === null || b === null) {
    return typeof a === "number" && typeof b === "number" && Number.isNaN(a) && Number.isNaN(b);
  }
  if (depth > MAX_DEPTH) return false;
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  if (Array.isArray(a)) {
    const bb = b as unknown[];
    if (a.length !== bb.length) return false;
    for (let i = 0; i < a.length; i++) if (!deepEqual(a[i], bb[i], depth + 1)) return false;
    return true;
  }
  const ak = Object.keys(a);
  const bo = b as Record<string, unknown>;
  if (ak.length !== Object.keys(bo).length) return false;
  for (const k of ak) {
    if (!Object.prototype.hasOwnProperty.call(bo, k)) return false;
    if (!deepEqual((a as Record<string, unknown>)[k], bo[k], depth + 1)) return false;
  }
  return true;
}

/** Same list item: by message id when both have one, else structurally. */
function sameItem(a: unknown, b: unknown): boolean {
  if (isObj(a) && isObj(b) && typeof a.id === "string" && typeof b.id === "string") {
    return a.id === b.id && deepEqual(a, b);
  }
  return deepEqual(a, b);
}

/** The items `next` adds to the end of `prev`, or null when it is not a pure append. */
export function appendedItems(prev: unknown[], next: unknown[]): unknown[] | null {
  if (next.length <= prev.length) return null;
  for (let i = 0; i < prev.length; i++) if (!sameItem(prev[i], next[i])) return null;
  return next.slice(prev.length);
}

/** What changed from `prev` (undefined: nothing seen before) to `next`. `__interrupt__` is not state. */
export function diffState(prev: unknown, next: unknown): StateDiff {
  const diff: StateDiff = {
    initial: prev === undefined,
    added: [],
    removed: [],
    changed: [],
    appended: [],
    unchanged: [],
    opaque: !isObj(next),
  };
  if (!isObj(next)) return diff;
  const before = isObj(prev) ? prev : {};
  for (const key of Object.keys(next)) {
    if (key === INTERRUPT_KEY) continue;
    if (!Object.prototype.hasOwnProperty.call(before, key)) {
      diff.added.push(key);
      continue;
    }
    const a = before[key];
    const b = next[key];
    if (Array.isArray(a) && Array.isArray(b)) {
      const items = appendedItems(a, b);
      if (items !== null) {
        diff.appended.push({ key, items });
        continue;
      }
    }
    if (deepEqual(a, b)) diff.unchanged.push(key);
    else diff.changed.push(key);
  }
  for (const key of Object.keys(before)) {
    if (key === INTERRUPT_KEY) continue;
    if (!Object.prototype.hasOwnProperty.call(next, key)) diff.removed.push(key);
  }
  return diff;
}

/** Nothing changed at all. */
export function isEmptyDiff(d: StateDiff): boolean {
  return !d.opaque && d.added.length + d.removed.length + d.changed.length + d.appended.length === 0;
}

/** The latest state per namespace; one diff per `values` event. */
export class ValuesTracker {
  private readonly states = new Map<string, unknown>();
  private readonly counts = new Map<string, number>();

  /** The current state of namespace `ns` (root by default). */
  current(ns: readonly string[] = []): unknown {
    return this.states.get(nsKey(ns));
  }

  /** How many `values` events namespace `ns` has had. */
  count(ns: readonly string[] = []): number {
    return this.counts.get(nsKey(ns)) ?? 0;
  }

  /**
   * Take `ev`'s state without diffing it; returns the namespace's state before
   * it, from which the diff can be computed when the event is shown
   * (`diffState(prev, stripInterrupt(ev.data))`).
   */
  advance(ev: EventRecord): unknown {
    const key = nsKey(ev.ns);
    const prev = this.states.get(key);
    this.states.set(key, stripInterrupt(ev.data));
    this.counts.set(key, (this.counts.get(key) ?? 0) + 1);
    return prev;
  }

  ingest(ev: EventRecord): StateDiff {
    const key = nsKey(ev.ns);
    const next = stripInterrupt(ev.data);
    const diff = diffState(this.states.get(key), next);
    this.states.set(key, next);
    this.counts.set(key, (this.counts.get(key) ?? 0) + 1);
    return diff;
  }
}

/** The state without its `__interrupt__` key (the same object when it has none). */
export function stripInterrupt(state: unknown): unknown {
  if (!isObj(state) || !(INTERRUPT_KEY in state)) return state;
  const out: Record<string, unknown> = {};
  for (const k of Object.keys(state)) if (k !== INTERRUPT_KEY) out[k] = state[k];
  return out;
}
