// `note` records: what the kernel side says about the stream itself
// ("invalid UTF-8 replaced", "reconnected, 3 events replayed"): a small row.

import { clippedText, h, isPlainObject } from "../dom";
import { jsonView } from "../json-view";
import type { EventRecord } from "../types";
import { appendAll, entryShell, timeLabel } from "./common";

export function noteText(data: unknown): string | null {
  if (typeof data === "string") return data;
  if (isPlainObject(data)) {
    for (const key of ["message", "note", "text", "detail"]) if (typeof data[key] === "string") return data[key] as string;
  }
  return null;
}

export function renderNote(ev: EventRecord): HTMLElement {
  const { entry, head, body } = entryShell(ev, "note");
  entry.classList.add("lgw-note", "lgw-oneline");
  const text = noteText(ev.data);
  const line = h("span", "lgw-note-text");
  if (text !== null) line.append(clippedText(text, "lgw-text"));
  appendAll(head, h("span", "lgw-note-icon", "note"), line, timeLabel(ev.t));
  if (text === null) body.append(jsonView(ev.data, { expandDepth: 1, bare: true }));
  else if (isPlainObject(ev.data) && Object.keys(ev.data).length > 1) {
    const rest: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(ev.data)) if (v !== text) rest[k] = v;
    body.append(jsonView(rest, { bare: true }));
  }
  return entry;
}
