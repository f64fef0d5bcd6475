// The entry of one node run ("slot"): opened by the node's first token or the
// first event of the subgraph it runs, it holds the subgraph's entries and
// the streamed messages, and is filled in place by the node's own update.
// Until then it is `data-lgw-event="node"` (state running); the update makes
// it `data-lgw-event="updates"` with the update's seq.

import { formatOffset, h, isPlainObject } from "../dom";
import type { Slot } from "../model/layout";
import { nsKey, segmentNode, segmentTask } from "../model/ns";
import { sameMessageId, type StreamUpdate } from "../model/tokens";
import type { EventRecord } from "../types";
import { appendAll, entryHead, nodeLabel, nsLabel } from "./common";
import { StreamView } from "./tokens";
import { renderUpdate } from "./updates";

export class NodeEntry {
  readonly entry: HTMLElement;
  private readonly head: HTMLElement;
  private readonly state: HTMLElement;
  private readonly time: HTMLElement;
  private readonly body: HTMLElement;
  private sub: HTMLElement | null = null;
  private children: HTMLElement | null = null;
  private stream: HTMLElement | null = null;
  private readonly streams = new Map<string, StreamView>();
  /** Ids of the messages the node's update showed (late chunks of them are not shown again). */
  private readonly settled: string[] = [];

  constructor(
    readonly slot: Slot,
    first: EventRecord,
  ) {
    const entry = h("div", "lgw-entry lgw-node-entry lgw-kind-node");
    entry.dataset.lgwEvent = "node";
    entry.dataset.lgwSeq = String(first.seq);
    if (slot.node) entry.dataset.lgwNode = slot.node;
    entry.dataset.lgwState = "running";
    if (slot.path.length > 0) {
      entry.classList.add("lgw-sub");
      entry.dataset.lgwNs = nsKey(slot.path);
      entry.dataset.lgwDepth = String(Math.min(slot.path.length, 4));
    }
    this.head = entryHead();
    this.state = h("span", "lgw-node-state", "running…");
    this.time = h("span", "lgw-time", formatOffset(first.t));
    appendAll(this.head, nsLabel([...slot.path]), nodeLabel(slot.node || "messages"), this.state, this.time);
    this.body = h("div", "lgw-entry-body");
    entry.append(this.head, this.body);
    this.entry = entry;
  }

  /** The list that holds the entries of the subgraph run inside (namespace `ns`). */
  childList(ns: readonly string[]): HTMLElement {
    if (this.children) return this.children;
    const sub = h("div", "lgw-subgraph");
    const key = nsKey(ns);
    sub.dataset.lgwNs = key;
    const head = h("div", "lgw-subgraph-head");
    const last = ns[ns.length - 1] ?? "";
    const path = h("span", "lgw-ns-path", ns.map(segmentNode).join(" › "));
    path.title = ns.join(" | ");
    head.append(h("span", "lgw-label", "subgraph "), path);
    const task = segmentTask(last);
    if (task) head.append(h("span", "lgw-task-id", task));
    const list = h("div", "lgw-children");
    sub.append(head, list);
    // The subgraph's entries come first, then streamed messages, then the update.
    this.body.prepend(sub);
    this.sub = sub;
    this.children = list;
    return list;
  }

  /** A streamed message of this node grew (or arrived whole). */
  applyStream(u: StreamUpdate): void {
    if (this.settled.some((id) => sameMessageId(u.msg.id, id))) return;
    let view = this.streams.get(u.msg.id);
    if (!view || u.created) {
      const fresh = new StreamView(u.msg);
      if (!this.stream) {
        this.stream = h("div", "lgw-stream");
        if (this.sub) this.sub.after(this.stream);
        else this.body.prepend(this.stream);
      }
      if (view) view.el.replaceWith(fresh.el);
      else this.stream.append(fresh.el);
      this.streams.set(u.msg.id, fresh);
      view = fresh;
      if (u.created) return;
    }
    view.update(u);
  }

  /**
   * The node's update landed: show it, and drop the streamed copies of the
   * messages it carries (the update's message is the final one).
   */
  fill(ev: EventRecord, update: unknown, step: number): void {
    const entry = this.entry;
    entry.dataset.lgwEvent = "updates";
    entry.dataset.lgwSeq = String(ev.seq);
    entry.dataset.lgwState = "done";
    entry.classList.remove("lgw-kind-node");
    entry.classList.add("lgw-kind-updates");
    this.state.remove();
    const stepEl = h("span", "lgw-step", `step ${step}`);
    this.time.before(stepEl);
    this.time.textContent = formatOffset(ev.t);
    if (isPlainObject(update) && Array.isArray(update.messages)) {
      for (const m of update.messages) {
        if (!isPlainObject(m)) continue;
        if (typeof m.id === "string" && m.id) this.settled.push(m.id);
        for (const [id, view] of this.streams) {
          if (sameMessageId(id, m.id)) {
            view.el.remove();
            this.streams.delete(id);
          }
        }
      }
    }
    for (const view of this.streams.values()) view.settle();
    if (this.stream && this.stream.childElementCount === 0) {
      this.stream.remove();
      this.stream = null;
    }
    this.body.append(renderUpdate(update));
  }

  /** Some message of this node is still streaming. */
  get streaming(): number {
    let n = 0;
    for (const v of this.streams.values()) if (!v.done) n++;
    return n;
  }
}
