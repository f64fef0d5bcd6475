// `updates` events: {node_name: update}. One block per node; the update's
// messages rendered as messages, its other keys as JSON; `__interrupt__` as an
// interrupt block (a breakpoint when the list is empty).

import { h, isPlainObject } from "../dom";
import { jsonView } from "../json-view";
import { INTERRUPT_KEY } from "../model/values";
import type { EventRecord } from "../types";
import { appendAll, entryShell, eventLabel, nodeLabel, nsLabel, timeLabel, type RenderContext } from "./common";
import { interruptLabel, renderInterrupts } from "./interrupt";
import { renderMessages } from "./messages";

export { INTERRUPT_KEY };

export function renderUpdates(ev: EventRecord, ctx: RenderContext): HTMLElement {
  const { entry, head, body } = entryShell(ev, "updates");
  const data = ev.data;
  const nodes = isPlainObject(data) ? Object.keys(data) : [];
  const step = h("span", "lgw-step", `step ${ctx.step ?? ctx.ordinal(ev.seq) + 1}`);

  if (!isPlainObject(data) || nodes.length === 0) {
    appendAll(head, nsLabel(ev.ns), eventLabel(ev.event), step, timeLabel(ev.t));
    body.append(jsonView(data, { expandDepth: 1, bare: true }));
    return entry;
  }

  entry.dataset.lgwNode = nodes[0]!;
  if (nodes.includes(INTERRUPT_KEY)) {
    entry.classList.add("lgw-interrupt");
    const v = data[INTERRUPT_KEY];
    if (Array.isArray(v) && v.length === 0) entry.classList.add("lgw-breakpoint");
  }
  appendAll(head, nsLabel(ev.ns));
  for (const node of nodes) head.append(node === INTERRUPT_KEY ? interruptLabel(data[node]) : nodeLabel(node));
  appendAll(head, step, timeLabel(ev.t));

  const multi = nodes.length > 1;
  for (const node of nodes) {
    const block = h("div", "lgw-node-block");
    block.dataset.lgwNode = node;
    if (multi) {
      const title = h("div", "lgw-node-title");
      title.append(node === INTERRUPT_KEY ? interruptLabel(data[node]) : nodeLabel(node));
      block.append(title);
    }
    if (node === INTERRUPT_KEY) {
      block.classList.add("lgw-interrupt");
      block.append(renderInterrupts(data[node]));
    } else {
      block.append(renderUpdate(data[node]));
    }
    body.append(block);
  }
  return entry;
}

/** A node's update: messages as messages, other keys as JSON, non-dicts as JSON. */
export function renderUpdate(update: unknown): HTMLElement {
  const wrap = h("div", "lgw-update");
  if (!isPlainObject(update) || !("messages" in update)) {
    wrap.append(jsonView(update, { expandDepth: 1, bare: true }));
    return wrap;
  }
  wrap.append(renderMessages(update.messages));
  const rest: Record<string, unknown> = {};
  let any = false;
  for (const key of Object.keys(update)) {
    if (key === "messages") continue;
    rest[key] = update[key];
    any = true;
  }
  if (any) {
    const other = h("div", "lgw-update-rest");
    other.append(jsonView(rest, { expandDepth: 1, bare: true }));
    wrap.append(other);
  }
  return wrap;
}
