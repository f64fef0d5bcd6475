// The list of entries, virtualized. The store's new events are placed by the
// DOM-free model (model/rows.ts: which top-level row each event goes to) in
// O(batch); once per animation frame the list builds only the rows near the
// viewport (render/row.ts), measures them, and pads the scroller above and
// below with the heights of the rows not in the DOM (estimated until seen,
// then measured and cached). So the DOM holds a bounded number of rows
// whatever the number of events, and appending costs the same at 50 events
// or 50,000.
//
// The parts: feed.ts places events (list.ts keeps the list's positions and
// heights), frames.ts runs the frames, window.ts holds the rows in the DOM,
// scroll.ts follows the run or keeps the scroll position, navigate.ts goes
// to events, chrome.ts shows what is around the list.

import { h } from "../../dom";
import type { FilterState } from "../../filter";
import { defaultScheduler, ROUTE_BUDGET_MS, syncScheduler, type FrameScheduler } from "../../frame";
import { EventFilter, type FindInfo } from "../../model/filter";
import { TimelineModel } from "../../model/rows";
import type { EventStore } from "../../store";
import type { SnapshotInfo } from "../../transport";
import { handleCopy } from "../copy";
import type { Navigable } from "../keyboard";
import type { StatePanel } from "../values";
import { TimelineChrome } from "./chrome";
import { Feed } from "./feed";
import { FrameLoop } from "./frames";
import { RowList } from "./list";
import { Navigator, type Pick } from "./navigate";
import { Scroll } from "./scroll";
import { domViewport, type Viewport } from "./virtual";
import { RowWindow } from "./window";

export { ROW_ESTIMATE } from "./list";
export { UNLAID_ROWS } from "./scroll";
export { MAX_MOUNTED } from "./window";
export type { Pick } from "./navigate";

export interface TimelineOptions {
  /** Geometry source (tests); the scroller's own by default. `list` holds the rows and the spacer padding. */
  viewport?: (scroller: HTMLElement, list: HTMLElement) => Viewport;
  /** When frames run; animation frames by default (see frame.ts). */
  schedule?: FrameScheduler;
  /** Routing time per frame, ms, before the rest waits for the next frame. */
  budgetMs?: number;
  /** What to show of the run (the view's); every row when not given. */
  filter?: FilterState;
}

export interface TimelineStats {
  /** Top-level rows. */
  rows: number;
  /** Rows in the DOM, [first, last). */
  mounted: number;
  first: number;
  last: number;
  /** Events placed by the model so far. */
  routed: number;
  following: boolean;
  /** Height of all rows (measured or estimated), px. */
  total: number;
  /** Rows in the list (those matching the filter). */
  visible: number;
  /** Events matching the filter. */
  matched: number;
}

export interface Timeline extends Navigable {
  /** The list of rows (`.lgw-entries`), padded above and below for the rows not in the DOM. */
  el: HTMLElement;
  /** The element that scrolls (`.lgw-scroller`, fixed max height) around the list. */
  scroller: HTMLElement;
  /** Go-to input and the jump-to-latest button. */
  nav: HTMLElement;
  /** The note under the list when the saved snapshot left events out. */
  footer: HTMLElement;
  /** The state panel (current `values`), shown above the list once values arrive. */
  state: StatePanel;
  readonly following: boolean;
  /** Follow the newest events again. */
  jumpToLatest(): void;
  /**
   * Scroll to the row holding event `seq` and mark it (or what `pick` finds
   * in its element, e.g. one tool result). False when there are no events.
   */
  goto(seq: number, pick?: Pick): boolean;
  /** The run's token usage ("1,234 tokens"), hidden until a message reports some. */
  usage: HTMLElement;
  setSnapshotInfo(info: SnapshotInfo): void;
  /** Nodes and kinds seen, events matching the filter. */
  find(): FindInfo;
  /** Call `fn` whenever find() may have changed. Returns the unsubscribe. */
  onFind(fn: () => void): () => void;
  /** Open (or close) every entry and JSON viewer, rows built later included. */
  expandAll(on: boolean): void;
  /** Do the pending frame work now. */
  flush(): void;
  stats(): TimelineStats;
  destroy(): void;
}

export function createTimeline(store: EventStore, options: TimelineOptions = {}): Timeline {
  const scroller = h("div", "lgw-scroller");
  scroller.tabIndex = 0;
  const el = h("div", "lgw-entries");
  // A feed (see keyboard.ts): its rows are articles, aria-busy while the run streams.
  el.setAttribute("role", "feed");
  el.setAttribute("aria-label", "events");
  scroller.append(el);
  const vp = options.viewport ? options.viewport(scroller, el) : domViewport(scroller);
  const scheduler = options.schedule ?? defaultScheduler();
  const budget = options.budgetMs ?? (scheduler === syncScheduler ? Infinity : ROUTE_BUDGET_MS);
  const model = new TimelineModel();
  const found = new EventFilter(model, store);
  const rows = new RowList(model, found);
  const changed = () => chrome.update();
  const loop = new FrameLoop(scheduler, budget, {
    route: (budgetMs) => feed.step(budgetMs),
    build: () => {
      win.sync(model.takeDirty());
      scroll.layout();
      win.updateSetSize();
      chrome.syncState();
      changed();
    },
    pending: () => feed.pending,
  });
  const schedule = () => loop.schedule();
  const chrome = new TimelineChrome(store, model, el, {
    following: () => scroll.following,
    latest: () => scroll.setFollow(true),
    goto: (seq) => nav.goto(seq),
  });
  const win = new RowWindow(el, scroller, rows, model, { ordinal: (seq) => store.ordinal(seq) }, vp, {
    mounting: (row, view) => nav.mounting(row, view),
    resized: () => {
      if (!loop.busy) schedule();
    },
  });
  const feed = new Feed(store, model, rows, win);
  const scroll = new Scroll(scroller, vp, rows, win, model, { schedule, changed, markIn: (row) => nav.markIn(row) });
  const nav = new Navigator(
    { store, model, rows, win, scroll, feed, loop, changed, clearFilter: () => options.filter?.clear() },
    [scroller, chrome.state.el],
  );

  const unCopy = handleCopy(el, (seq) => store.get(seq));
  const unFilter = options.filter?.subscribe((filter) => {
    found.set(filter);
    feed.relist();
    scroll.restart();
    loop.now(); // the list never shows empty in between
  });
  if (options.filter?.active) {
    found.set(options.filter.get());
    feed.relist();
  }
  const unsubscribe = store.subscribe(() => {
    changed();
    schedule();
  });
  changed();
  if (store.length > 0) schedule();

  return {
    el,
    scroller,
    nav: chrome.nav,
    footer: chrome.footer,
    state: chrome.state,
    usage: chrome.usage,
    get following() {
      return scroll.following;
    },
    jumpToLatest: () => scroll.setFollow(true),
    goto: nav.goto,
    find: () => found.info(),
    onFind: (fn) => chrome.onUpdate(fn),
    expandAll(on) {
      win.expandAll(on);
      schedule(); // heights changed
    },
    count: () => rows.count(),
    topPosition: () => scroll.topPosition(),
    reveal: (pos) => nav.reveal(pos),
    setSnapshotInfo: (info) => chrome.setSnapshotInfo(info),
    flush: () => loop.flush(),
    stats: () => ({
      rows: model.rows.length,
      mounted: win.size,
      first: win.first,
      last: win.last,
      routed: model.length,
      following: scroll.following,
      total: rows.geometry.total,
      visible: rows.count(),
      matched: found.matched,
    }),
    destroy() {
      loop.stop();
      unsubscribe();
      unCopy();
      unFilter?.();
      chrome.destroy();
      win.destroy();
      scroll.destroy();
      nav.destroy();
    },
  };
}
