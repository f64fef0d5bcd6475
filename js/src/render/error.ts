// `error` events: {"error": "ValueError", "message": "..."}.

import { stringify } from "../json";
import { clippedText, h, isPlainObject } from "../dom";
import { jsonView } from "../json-view";
import type { EventRecord } from "../types";
import { appendAll, entryShell, eventLabel, nsLabel, timeLabel } from "./common";

export function renderError(ev: EventRecord): HTMLElement {
  const { entry, head, body } = entryShell(ev, "error");
  entry.classList.add("lgw-error");
  appendAll(head, nsLabel(ev.ns), eventLabel(ev.event));
  const data = ev.data;
  if (isPlainObject(data) && (data.error !== undefined || data.message !== undefined)) {
    if (data.error !== undefined) head.append(h("span", "lgw-error-name", String(data.error)));
    appendAll(head, timeLabel(ev.t));
    if (data.message !== undefined) {
      const msg = h("div", "lgw-error-message");
      msg.append(clippedText(typeof data.message === "string" ? data.message : stringify(data.message), "lgw-text"));
      body.append(msg);
    }
    const rest: Record<string, unknown> = {};
    let any = false;
    for (const key of Object.keys(data)) {
      if (key === "error" || key === "message") continue;
      rest[key] = data[key];
      any = true;
    }
    if (any) body.append(jsonView(rest, { bare: true }));
    return entry;
  }
  appendAll(head, timeLabel(ev.t));
  const msg = h("div", "lgw-error-message");
  msg.append(typeof data === "string" ? clippedText(data, "lgw-text") : jsonView(data, { expandDepth: 1, bare: true }));
  body.append(msg);
  return entry;
}
