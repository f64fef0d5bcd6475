// Shared types: the event record (DESIGN.md section 3) and the model traits
// (section 5) as this front end sees them.

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
  /** `{events: [[event, id, t, nbytes], ...], data: <bytes>, omitted}`, `{}`, or (older) a list of records. */
  _snapshot: unknown;
  [key: string]: unknown;
}

/**
 * One event's header in an append message or the snapshot: its data is
 * `nbytes` of the buffer; `raw` 1: the kernel kept the text as it is.
 */
export type EventHeader = [event: string, id: string | null, t: number, nbytes: number, raw?: 1];

/**
 * Kernel -> view custom message. `events` are headers, their data texts
 * (UTF-8, back to back) in the message's first buffer; an older kernel sends
 * record objects and no buffer.
 */
export interface AppendMessage {
  type: "append";
  from: number;
  events: EventHeader[] | unknown[];
}

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
