// One view of a model: its own store, header, graph and timing panels, state
// panel, find toolbar, the virtualized list of entries and its nav (go to #,
// jump to latest) under a `.lgw-timeline` root. Returns the cleanup.

import { h } from "./dom";
import { FilterState } from "./filter";
import { coalesce, defaultScheduler } from "./frame";
import { createGraphPanel, type GraphPanel } from "./render/graph";
import { createHeader, type HeaderOptions } from "./render/header";
import { attachKeyboard } from "./render/keyboard";
import { createTimeline, type Timeline, type TimelineOptions } from "./render/timeline";
import { createToolbar, type Toolbar } from "./render/toolbar";
import { createWaterfall, type Waterfall } from "./render/waterfall";
import { EventStore } from "./store";
import { connect } from "./transport";
import { LIVE_STATUSES, type Model } from "./types";

export interface ViewOptions extends HeaderOptions, TimelineOptions {}

export interface View {
  root: HTMLElement;
  store: EventStore;
  /** What the view shows of the run (toolbar, graph clicks, timeline). */
  filter: FilterState;
  timeline: Timeline;
  /** The run's graph, above the timeline (hidden while there is none). */
  graph: GraphPanel;
  /** The timing panel (waterfall and per-node durations) above the state panel. */
  waterfall: Waterfall;
  /** Find: node, kind and text filters, expand / collapse all (above the list). */
  toolbar: Toolbar;
  destroy(): void;
}

export function createView(model: Model, el: HTMLElement, options: ViewOptions = {}): View {
  const store = new EventStore();
  const filter = new FilterState();
  const root = h("div", "lgw-timeline");
  const header = createHeader(model, store, options);
  // One frame per burst of appends for all the view's panels.
  const schedule = coalesce(options.schedule ?? defaultScheduler());
  const timeline = createTimeline(store, { ...options, filter, schedule });
  const toolbar = createToolbar(filter, timeline);
  header.addField(timeline.usage);
  const waterfall = createWaterfall(store, { schedule, goto: (seq) => timeline.goto(seq) });
  const graph = createGraphPanel(model, store, filter, { schedule });
  root.append(header.el, graph.el, waterfall.el, timeline.state.el, toolbar.el, timeline.scroller, timeline.footer, timeline.nav);

  const sync = () => {
    const status = model.get("status");
    root.dataset.status = typeof status === "string" ? status : "";
    root.dataset.count = String(store.length);
    timeline.el.setAttribute("aria-busy", String(LIVE_STATUSES.has(root.dataset.status)));
  };
  sync();
  model.on("change:status", sync);
  const unsubscribe = store.subscribe(sync);
  const detachKeys = attachKeyboard(root, timeline);
  el.append(root);

  // Last: the snapshot and the kernel's answer to hello land in a live view.
  const disconnect = connect(model, store, { onSnapshot: (info) => timeline.setSnapshotInfo(info) });

  return {
    root,
    store,
    filter,
    timeline,
    toolbar,
    graph,
    waterfall,
    destroy() {
      disconnect();
      unsubscribe();
      model.off("change:status", sync);
      header.destroy();
      detachKeys();
      toolbar.destroy();
      graph.destroy();
      waterfall.destroy();
      timeline.destroy();
      root.remove();
    },
  };
}
