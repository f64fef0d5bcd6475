// Wires a model to a store: load the persisted snapshot, say hello with what
// we hold (`have`: the kernel sends the events from there), take append
// messages, re-ask on a gap.
//
// Append messages: `{"type": "append", "from": <seq>, "names": [event
// names]}` with the events' binary headers in `buffers[0]` (records.ts
// `decodeHeaders`) and their data texts concatenated in `buffers[1]` (or in
// `buffers[1..]` together, when they lie in more than one of the kernel's
// chunks); or, for small events, both deflated in one buffer (`"deflate":
// [headers size, data size]`). Older kernels' shapes are still accepted: JSON
// headers, `"events": [[event, id, t, nbytes], ...]`, with the data in
// `buffers[0]`, and records as objects with no buffer. The snapshot trait
// `_snapshot` is read by snapshot.ts `readSnapshot` (binary headers, or the
// older JSON headers), or is `{}` / `[]` when empty, or an older list of
// records.

import { decodeEvents, decodeHeaders, firstClipped, inflateAppend, joinBytes, toBytes } from "./records";
import { readSnapshot } from "./snapshot";
import type { EventStore } from "./store";
import type { Model } from "./types";

/** Do not repeat a hello for the same `have` more often than this (ms). */
const HELLO_REPEAT_MS = 1000;
/** How long a clipped snapshot waits for the kernel's full events before it shows its own (ms). */
export const SNAPSHOT_WAIT_MS = 1500;

/** What the persisted snapshot held. */
export interface SnapshotInfo {
  /** Seq after the snapshot's last event. */
  end: number;
  /** Events after those that were not saved in the notebook. */
  omitted: number;
}

export interface TransportOptions {
  /** Clock for hello de-duplication (tests). */
  now?: () => number;
  /** Called each time a snapshot is loaded. */
  onSnapshot?: (info: SnapshotInfo) => void;
  /** See SNAPSHOT_WAIT_MS (tests). */
  snapshotWaitMs?: number;
}

/**
 * Connect `model` to `store`. Returns the cleanup that removes every listener.
 */
export function connect(model: Model, store: EventStore, options: TransportOptions = {}): () => void {
  const now = options.now ?? (() => Date.now());
  const waitMs = options.snapshotWaitMs ?? SNAPSHOT_WAIT_MS;
  let lastHello: { have: number; at: number } | null = null;
  /** Snapshot events held back (clipped) while the kernel may still send them whole. */
  let pending: { from: number; events: readonly unknown[]; buffer: unknown } | null = null;
  let timer: ReturnType<typeof setTimeout> | null = null;

  const showPending = () => {
    if (timer !== null) clearTimeout(timer);
    timer = null;
    const p = pending;
    pending = null;
    if (p) take(p.from, p.events, p.buffer);
  };

  const send = (msg: unknown) => {
    try {
      model.send(msg);
    } catch (err) {
      // No kernel (a saved notebook reopened): the snapshot is all there is.
      console.debug("lgwidget: cannot send to the kernel", err);
      showPending();
    }
  };

  const hello = (force: boolean) => {
    const have = store.length;
    const at = now();
    if (!force && lastHello && lastHello.have === have && at - lastHello.at < HELLO_REPEAT_MS) return;
    lastHello = { have, at };
    send({ type: "hello", have });
  };

  /** Add events from seq `from` (headers or records) to the store. */
  const take = (from: number, events: readonly unknown[], buffer: unknown) => {
    const { start, records } = decodeEvents(from, events, toBytes(buffer), store.length);
    return store.append(start, records);
  };

  const loadSnapshot = () => {
    const snap = model.get("_snapshot");
    if (Array.isArray(snap)) {
      if (snap.length === 0) return;
      const first = snap[0] as { seq?: unknown } | null;
      const from = first && typeof first === "object" && typeof first.seq === "number" ? first.seq : 0;
      take(from, snap, null);
      options.onSnapshot?.({ end: from + snap.length, omitted: 0 });
      return;
    }
    const saved = readSnapshot(snap);
    if (!saved) return;
    const { from, events, data } = saved;
    // The kernel clipped long strings for the notebook file: from the first
    // clipped event on, wait a moment for a live kernel's whole events.
    const clipped = from + events.length > store.length ? firstClipped(events, data) : -1;
    if (clipped >= 0 && from + clipped >= store.length) {
      take(from, events.slice(0, clipped), data);
      pending = { from, events, buffer: data };
      if (timer !== null) clearTimeout(timer);
      timer = setTimeout(showPending, waitMs);
    } else if (events.length > 0) {
      take(from, events, data);
    }
    options.onSnapshot?.({ end: from + events.length, omitted: saved.omitted });
  };

  const onCustom = (msg: unknown, buffers?: unknown) => {
    if (typeof msg !== "object" || msg === null) return;
    const m = msg as { type?: unknown; from?: unknown; events?: unknown; names?: unknown; deflate?: unknown };
    if (m.type !== "append" || typeof m.from !== "number") return;
    const list = Array.isArray(buffers) ? (buffers as unknown[]) : [];
    let events: readonly unknown[];
    let buffer: unknown;
    if (Array.isArray(m.names)) {
      let head = toBytes(list[0]);
      buffer = joinBytes(list.slice(1));
      if (m.deflate !== undefined) {
        const parts = inflateAppend(m.deflate, head);
        if (!parts) {
          console.error("lgwidget: an append message does not inflate; asking the kernel again");
          hello(false);
          return;
        }
        [head, buffer] = parts;
      }
      events = decodeHeaders(m.names, head);
    } else if (Array.isArray(m.events)) {
      events = m.events;
      buffer = list[0];
    } else return;
    // The kernel answers: it sends the snapshot's events whole.
    if (pending) {
      pending = null;
      if (timer !== null) clearTimeout(timer);
      timer = null;
    }
    const result = take(m.from, events, buffer);
    if (result.gap) hello(false);
  };

  const onSnapshot = () => loadSnapshot();

  loadSnapshot();
  model.on("msg:custom", onCustom);
  model.on("change:_snapshot", onSnapshot);
  hello(true);

  return () => {
    if (timer !== null) clearTimeout(timer);
    model.off("msg:custom", onCustom);
    model.off("change:_snapshot", onSnapshot);
  };
}
