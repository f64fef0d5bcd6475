// `metadata` events: one line, e.g. "run 01a2… · attempt 1" (or "run_done").

import { h, isPlainObject } from "../dom";
import { jsonView } from "../json-view";
import type { EventRecord } from "../types";
import { appendAll, entryShell, eventLabel, nsLabel, timeLabel } from "./common";

const SHOWN = new Set(["run_id", "attempt", "status"]);

export function renderMetadata(ev: EventRecord): HTMLElement {
  const { entry, head, body } = entryShell(ev, "metadata");
  entry.classList.add("lgw-oneline");
  appendAll(head, nsLabel(ev.ns), eventLabel(ev.event));
  const data = ev.data;
  if (!isPlainObject(data)) {
    body.append(jsonView(data));
    appendAll(head, timeLabel(ev.t));
    return entry;
  }
  if (data.run_id !== undefined) {
    const run = h("span", "lgw-meta-run");
    run.append(h("span", "lgw-label", "run "), h("span", "lgw-id", String(data.run_id)));
    head.append(run);
  }
  if (data.attempt !== undefined) head.append(h("span", "lgw-meta-attempt", `attempt ${String(data.attempt)}`));
  if (data.status !== undefined) head.append(h("span", "lgw-meta-status", String(data.status)));
  appendAll(head, timeLabel(ev.t));
  const rest: Record<string, unknown> = {};
  let any = false;
  for (const key of Object.keys(data)) {
    if (SHOWN.has(key)) continue;
    rest[key] = data[key];
    any = true;
  }
  if (any) body.append(jsonView(rest, { bare: true }));
  return entry;
}
