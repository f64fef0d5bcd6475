// `custom` events (a node's stream writer): labelled with the emitting node
// when the timeline knows it (a running task, a node streaming tokens), else
// just "custom"; the payload as text or JSON.

import { clippedText, h } from "../dom";
import { jsonView } from "../json-view";
import type { EventRecord } from "../types";
import { appendAll, entryShell, eventLabel, nodeLabel, nsLabel, timeLabel, type RenderContext } from "./common";

export function renderCustom(ev: EventRecord, ctx?: RenderContext): HTMLElement {
  const { entry, head, body } = entryShell(ev, "custom");
  const node = ctx?.node ?? null;
  if (node) entry.dataset.lgwNode = node;
  appendAll(head, nsLabel(ev.ns), node ? nodeLabel(node) : null, eventLabel("custom"), timeLabel(ev.t));
  const data = ev.data;
  if (typeof data === "string") {
    const text = h("div", "lgw-custom-text");
    text.append(clippedText(data, "lgw-text"));
    body.append(text);
  } else {
    body.append(jsonView(data, { expandDepth: 1, bare: true }));
  }
  return entry;
}
