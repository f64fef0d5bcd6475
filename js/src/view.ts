// One view of a model: its own store, header, state panel, the virtualized
// list of entries and its nav (go to #, jump to latest) under a
// `.lgw-timeline` root. Returns the cleanup.

import { h } from "./dom";
import { FilterState } from "./filter";
import { createHeader, type HeaderOptions } from "./render/header";
import { createTimeline, type Timeline, type TimelineOptions } from "./render/timeline";
import { EventStore } from "./store";
import { connect } from "./transport";
import type { Model } from "./types";

export interface ViewOptions extends HeaderOptions, TimelineOptions {}

export interface View {
  root: HTMLElement;
  store: EventStore;
  /** What the view shows of the run (toolbar, graph clicks, timeline). */
  filter: FilterState;
  timeline: Timeline;
  destroy(): void;
}

export function createView(model: Model, el: HTMLElement, options: ViewOptions = {}): View {
  const store = new EventStore();
  const filter = new FilterState();
  const root = h("div", "lgw-timeline");
  const header = createHeader(model, store, options);
  const timeline = createTimeline(store, options);
  root.append(header.el, timeline.state.el, timeline.scroller, timeline.footer, timeline.nav);

  const sync = () => {
    const status = model.get("status");
    root.dataset.status = typeof status === "string" ? status : "";
    root.dataset.count = String(store.length);
  };
  sync();
  model.on("change:status", sync);
  const unsubscribe = store.subscribe(sync);
  el.append(root);

  // Last: the snapshot and the kernel's answer to hello land in a live view.
  const disconnect = connect(model, store, { onSnapshot: (info) => timeline.setSnapshotInfo(info) });

  return {
    root,
    store,
    filter,
    timeline,
    destroy() {
      disconnect();
      unsubscribe();
      model.off("change:status", sync);
      header.destroy();
      timeline.destroy();
      root.remove();
    },
  };
}
