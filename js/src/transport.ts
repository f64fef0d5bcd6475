// Wires a model to a store (DESIGN.md section 5): load the persisted snapshot,
// say hello with what we hold, take append messages, re-ask on a gap.

import type { EventStore } from "./store";
import type { Model } from "./types";

/** Do not repeat a hello for the same `have` more often than this (ms). */
const HELLO_REPEAT_MS = 1000;

export interface TransportOptions {
  /** Clock for hello de-duplication (tests). */
  now?: () => number;
}

/**
 * Connect `model` to `store`. Returns the cleanup that removes every listener.
 */
export function connect(model: Model, store: EventStore, options: TransportOptions = {}): () => void {
  const now = options.now ?? (() => Date.now());
  let lastHello: { have: number; at: number } | null = null;

  const send = (msg: unknown) => {
    try {
      model.send(msg);
    } catch (err) {
      // No kernel (a saved notebook reopened): the snapshot is all there is.
      console.debug("lgwidget: cannot send to the kernel", err);
    }
  };

  const hello = (force: boolean) => {
    const have = store.length;
    const at = now();
    if (!force && lastHello && lastHello.have === have && at - lastHello.at < HELLO_REPEAT_MS) return;
    lastHello = { have, at };
    send({ type: "hello", have });
  };

  const loadSnapshot = () => {
    const snap = model.get("_snapshot");
    if (!Array.isArray(snap) || snap.length === 0) return;
    const first = snap[0] as { seq?: unknown } | null;
    const from = first && typeof first === "object" && typeof first.seq === "number" ? first.seq : 0;
    store.append(from, snap);
  };

  const onCustom = (msg: unknown) => {
    if (typeof msg !== "object" || msg === null) return;
    const m = msg as { type?: unknown; from?: unknown; events?: unknown };
    if (m.type !== "append" || typeof m.from !== "number" || !Array.isArray(m.events)) return;
    const result = store.append(m.from, m.events);
    if (result.gap) hello(false);
  };

  const onSnapshot = () => loadSnapshot();

  loadSnapshot();
  model.on("msg:custom", onCustom);
  model.on("change:_snapshot", onSnapshot);
  hello(true);

  return () => {
    model.off("msg:custom", onCustom);
    model.off("change:_snapshot", onSnapshot);
  };
}
