// The list of entries. Appends only the new events' entries when the store
// grows; never rebuilds the list. Keeps the view pinned to the bottom while
// the user has not scrolled up.

import { h } from "../dom";
import type { EventStore } from "../store";
import type { EventRecord } from "../types";
import type { RenderContext } from "./common";
import { renderError } from "./error";
import { renderGeneric } from "./generic";
import { renderMetadata } from "./metadata";
import { renderUpdates } from "./updates";

export type Renderer = (ev: EventRecord, ctx: RenderContext) => HTMLElement;

/** Renderer per mode; anything not listed (or raw) is generic. */
export const RENDERERS: ReadonlyMap<string, Renderer> = new Map<string, Renderer>([
  ["updates", renderUpdates],
  ["metadata", renderMetadata],
  ["error", renderError],
]);

/** One event's entry. A renderer that throws degrades to the generic entry. */
export function renderEvent(ev: EventRecord, ctx: RenderContext): HTMLElement {
  const renderer = (!ev.raw && RENDERERS.get(ev.mode)) || renderGeneric;
  try {
    return renderer(ev, ctx);
  } catch (err) {
    console.error("lgwidget: cannot render event", ev.seq, err);
    try {
      const el = renderGeneric(ev);
      el.classList.add("lgw-render-failed");
      return el;
    } catch {
      const el = h("div", "lgw-entry lgw-render-failed", `event ${ev.seq}: cannot be shown`);
      el.dataset.lgwEvent = ev.mode;
      el.dataset.lgwSeq = String(ev.seq);
      return el;
    }
  }
}

export interface Timeline {
  el: HTMLElement;
  destroy(): void;
}

export function createTimeline(store: EventStore): Timeline {
  const el = h("div", "lgw-entries");
  el.setAttribute("role", "log");
  const ctx: RenderContext = { ordinal: (seq) => store.ordinal(seq) };

  const renderRange = (start: number, end: number) => {
    const pinned = el.scrollHeight - el.scrollTop - el.clientHeight < 24;
    const frag = document.createDocumentFragment();
    for (let seq = start; seq < end; seq++) {
      const ev = store.get(seq);
      if (ev) frag.append(renderEvent(ev, ctx));
    }
    el.append(frag);
    if (pinned) el.scrollTop = el.scrollHeight;
  };

  if (store.length > 0) renderRange(0, store.length);
  const unsubscribe = store.subscribe(renderRange);
  return {
    el,
    destroy() {
      unsubscribe();
    },
  };
}
