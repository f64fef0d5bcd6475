// Any other event (unknown names, raw text, shapes a mode renderer cannot read):
// the event name and the data as collapsible JSON, or the raw text.

import { clippedText, h, isPlainObject } from "../dom";
import { jsonView } from "../json-view";
import type { EventRecord } from "../types";
import { appendAll, entryShell, eventLabel, nodeLabel, nsLabel, timeLabel } from "./common";

export function renderGeneric(ev: EventRecord): HTMLElement {
  const { entry, head, body } = entryShell(ev, ev.mode || "unknown");
  entry.classList.add("lgw-generic");
  const node = nodeOf(ev);
  if (node !== null) entry.dataset.lgwNode = node;
  appendAll(head, nsLabel(ev.ns), eventLabel(ev.event), node !== null ? nodeLabel(node) : null, timeLabel(ev.t));
  if (ev.raw) {
    entry.classList.add("lgw-raw");
    const pre = h("div", "lgw-raw-text");
    pre.append(clippedText(typeof ev.data === "string" ? ev.data : String(ev.data), "lgw-text"));
    body.append(pre);
  } else {
    body.append(jsonView(ev.data, { expandDepth: 1, bare: true }));
  }
  return entry;
}

/** The node an event belongs to, where the payload says so. */
function nodeOf(ev: EventRecord): string | null {
  const data = ev.data;
  if (ev.raw) return null;
  // messages (tuple mode): [message chunk, metadata with langgraph_node]
  if (ev.mode === "messages" && Array.isArray(data) && isPlainObject(data[1])) {
    const node = data[1].langgraph_node;
    return typeof node === "string" ? node : null;
  }
  // tasks: {id, name, ...}
  if (ev.mode === "tasks" && isPlainObject(data) && typeof data.name === "string") return data.name;
  return null;
}
