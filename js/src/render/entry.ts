// A standalone entry for one event: the renderer of its mode, degrading to
// the generic entry when a renderer throws.

import { h } from "../dom";
import type { EventRecord } from "../types";
import type { RenderContext } from "./common";
import { renderCustom } from "./custom";
import { renderError } from "./error";
import { renderGeneric } from "./generic";
import { renderMetadata } from "./metadata";
import { renderNote } from "./note";
import { renderUpdates } from "./updates";

export type Renderer = (ev: EventRecord, ctx: RenderContext) => HTMLElement;

/**
 * Standalone renderer per mode (one event -> one entry). Modes whose events
 * update earlier entries (tokens, tasks, values, events, subgraphs) are placed
 * by model/rows.ts and built by row.ts; anything unknown (or raw) is generic.
 */
export const RENDERERS: ReadonlyMap<string, Renderer> = new Map<string, Renderer>([
  ["updates", renderUpdates],
  ["metadata", renderMetadata],
  ["error", renderError],
  ["custom", renderCustom],
  ["note", renderNote],
]);

/** The entry that says an event could not be shown (its generic entry, else one line). */
export function failedEntry(ev: EventRecord): HTMLElement {
  try {
    const el = renderGeneric(ev);
    el.classList.add("lgw-render-failed");
    return el;
  } catch {
    const el = h("div", "lgw-entry lgw-render-failed", `event ${ev.seq}: cannot be shown`);
    el.dataset.lgwEvent = String(ev.mode);
    el.dataset.lgwSeq = String(ev.seq);
    return el;
  }
}

/** One event's entry on its own. A renderer that throws degrades to the generic entry. */
export function renderEvent(ev: EventRecord, ctx: RenderContext): HTMLElement {
  const renderer = (!ev.raw && RENDERERS.get(ev.mode)) || renderGeneric;
  try {
    return renderer(ev, ctx);
  } catch (err) {
    console.error("lgwidget: cannot render event", ev.seq, err);
    return failedEntry(ev);
  }
}
