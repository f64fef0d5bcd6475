// The list of entries. Places only the new events when the store grows (see
// router.ts); never rebuilds the list. Keeps the view pinned to the bottom
// while the user has not scrolled up.

import { h } from "../dom";
import type { EventStore } from "../store";
import type { EventRecord } from "../types";
import type { RenderContext } from "./common";
import { renderCustom } from "./custom";
import { renderError } from "./error";
import { renderGeneric } from "./generic";
import { renderMetadata } from "./metadata";
import { renderNote } from "./note";
import { Router } from "./router";
import { renderUpdates } from "./updates";
import { StatePanel } from "./values";

export type Renderer = (ev: EventRecord, ctx: RenderContext) => HTMLElement;

/**
 * Standalone renderer per mode (one event -> one entry). Modes whose events
 * update earlier entries (tokens, tasks, values, events, subgraphs) are routed
 * by router.ts; anything unknown (or raw) is generic.
 */
export const RENDERERS: ReadonlyMap<string, Renderer> = new Map<string, Renderer>([
  ["updates", renderUpdates],
  ["metadata", renderMetadata],
  ["error", renderError],
  ["custom", renderCustom],
  ["note", renderNote],
]);

/** One event's entry on its own. A renderer that throws degrades to the generic entry. */
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
  /** The scrolling list of entries. */
  el: HTMLElement;
  /** The state panel (current `values`), shown above the list once values arrive. */
  state: StatePanel;
  destroy(): void;
}

export function createTimeline(store: EventStore): Timeline {
  const el = h("div", "lgw-entries");
  el.setAttribute("role", "log");
  const ctx: RenderContext = { ordinal: (seq) => store.ordinal(seq) };
  const state = new StatePanel();
  const router = new Router(el, ctx, state, renderEvent);

  const renderRange = (start: number, end: number) => {
    const pinned = el.scrollHeight - el.scrollTop - el.clientHeight < 24;
    for (let seq = start; seq < end; seq++) {
      const ev = store.get(seq);
      if (ev) router.place(ev);
    }
    if (pinned) el.scrollTop = el.scrollHeight;
  };

  if (store.length > 0) renderRange(0, store.length);
  const unsubscribe = store.subscribe(renderRange);
  return {
    el,
    state,
    destroy() {
      unsubscribe();
    },
  };
}
