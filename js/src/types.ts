// Shared types: the event record (one per SSE message, in arrival order, as
// lgwidget/wire/events.py builds it) and the model traits, as this front end sees
// them.

export interface EventRecord {
  /** Arrival index in the timeline, 0-based, no gaps. */
  seq: number;
  /** SSE event name exactly as sent, e.g. "updates|agent:<task id>". */
  event: string;
  /** Event name without the "|ns" suffix. */
  mode: string;
  /** Subgraph namespace path. */
  ns: string[];
  /** Parsed JSON, or the raw text when it was not JSON (then raw is true). */
  data: unknown;
  /** SSE id or null. */
  id: string | null;
  /** Seconds since the run was started. */
  t: number;
  raw?: boolean;
}

export type Status =
  | "connecting"
  | "streaming"
  | "reconnecting"
  | "done"
  | "error"
  | "cancelled"
  | "interrupted";

/** Statuses during which the run is still live (Stop is offered, time runs). */
export const LIVE_STATUSES: ReadonlySet<string> = new Set([
  "connecting",
  "streaming",
  "reconnecting",
]);

export interface WidgetTraits {
  status: string;
  assistant_id: string;
  run_id: string;
  thread_id: string;
  url: string;
  count: number;
  error: string;
  started: number;
  elapsed: number;
  /** The persisted snapshot (snapshot.ts), `{}`, or (older) a list of records. */
  _snapshot: unknown;
  [key: string]: unknown;
}

/**
 * One event's JSON header (an older kernel's append message or snapshot, or
 * a decoded binary one): its data is `nbytes` of the buffer; `raw` 1: the
 * kernel kept the text as it is.
 */
export type EventHeader = [event: string, id: string | null, t: number, nbytes: number, raw?: 1];

/**
 * The slice of anywidget's AnyModel this front end uses. Kept structural so
 * tests can pass a small fake; the real AnyModel satisfies it.
 */
export interface Model {
  get(key: string): unknown;
  on(eventName: string, callback: (...args: any[]) => void): void;
  off(eventName?: string | null, callback?: ((...args: any[]) => void) | null): void;
  send(content: unknown, callbacks?: unknown, buffers?: ArrayBuffer[] | ArrayBufferView[]): void;
}
