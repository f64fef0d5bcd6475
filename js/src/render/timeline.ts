// The list of entries, virtualized. The store's new events are placed by the
// DOM-free model (model/rows.ts: which top-level row each event goes to) in
// O(batch); once per animation frame the list builds only the rows near the
// viewport (render/row.ts), measures them, and pads the scroller above and
// below with the heights of the rows not in the DOM (estimated until seen,
// then measured and cached). So the DOM holds a bounded number of rows
// whatever the number of events, and appending costs the same at 50 events
// or 50,000.
//
// "Follow": the newest rows stay in view until the user scrolls up; then the
// row at the top of the viewport stays put while events arrive, and
// `button[data-lgw-action="latest"]` brings the list back to the end.
// `input[data-lgw-goto]` scrolls to the row holding an event seq and marks it.

import { formatCount, h } from "../dom";
import type { Filter, FilterState } from "../filter";
import { defaultScheduler, now, ROUTE_BUDGET_MS, syncScheduler, type FrameScheduler } from "../frame";
import { EventFilter, rowNodes, type FindInfo } from "../model/filter";
import { TimelineModel, type Item } from "../model/rows";
import type { EventStore } from "../store";
import type { SnapshotInfo } from "../transport";
import type { RenderContext } from "./common";
import { handleCopy } from "./copy";
import { setExpanded } from "./expand";
import { markArticle, type Navigable } from "./keyboard";
import { RowView } from "./row";
import { followToolLink } from "./toollinks";
import { StatePanel } from "./values";
import { domViewport, Heights, type Viewport } from "./virtual";

export { RENDERERS, renderEvent, type Renderer } from "./entry";

/** Height assumed for a row never measured, px (then the average of those measured). */
export const ROW_ESTIMATE = 40;
/** Rows in the DOM at most. */
export const MAX_MOUNTED = 120;
/** Rows shown while the list has no layout (hidden, or jsdom): the last ones, or those around a go-to. */
export const UNLAID_ROWS = 60;
/** Detached rows kept built (scrolling back does not rebuild them). */
const CACHE_ROWS = 48;
/** Distance from the bottom that still counts as "at the end", px. */
const FOLLOW_SLACK = 24;
/** Margin above a go-to target, px. */
const TARGET_MARGIN = 8;

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

/** Finds the element to mark inside the element showing an event. */
export type Pick = (el: HTMLElement) => HTMLElement | null;

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
  const ctx: RenderContext = { ordinal: (seq) => store.ordinal(seq) };
  const state = new StatePanel();
  const model = new TimelineModel();
  const heights = new Heights();
  let measuredFlags = new Uint8Array(1024);
  let measuredSum = 0;
  let measuredCount = 0;

  const mounted = new Map<number, RowView>();
  let first = 0;
  let last = 0;
  const cache = new Map<number, RowView>();
  let follow = true;
  let target: { seq: number; row: number; el: HTMLElement | null } | null = null;
  let mark: { seq: number; row: number; item: Item; el: HTMLElement | null; pick: Pick | null } | null = null;
  let expectedTop = 0;
  /** Rows the model had at the last layout. */
  let rowsLaidOut = 0;
  let unlaidStart = 0;
  let rootVersion = 0;
  let snapshot: SnapshotInfo | null = null;
  let destroyed = false;
  const found = new EventFilter(model, store);
  /** Heights of the matching rows, in order, while a filter is active (null: the list is every row). */
  let shown: Heights | null = null;
  /** Expand all (true) / collapse all (false) for rows built from now on; null: as built. */
  let expandMode: boolean | null = null;
  const findListeners = new Set<() => void>();

  // The list: positions [0, count()) over rows (mounted, cache and heights are by row).
  const count = () => (shown ? found.rows.length : model.rows.length);
  const rowAt = (pos: number) => (shown ? found.rows[pos]! : pos);
  /** List position of `row`; -1 when it is filtered out. */
  const posOf = (row: number) => (shown ? found.position(row) : row);
  /** List position for a go-to target row (the nearest shown one if it is filtered out). */
  const targetPos = (row: number) => (shown ? Math.max(0, found.nearest(row)) : row);
  const list = () => shown ?? heights;

  // ---- nav and footer --------------------------------------------------------

  const nav = h("div", "lgw-nav");
  const gotoWrap = h("label", "lgw-goto");
  const gotoInput = h("input", "lgw-goto-input");
  gotoInput.type = "number";
  gotoInput.min = "0";
  gotoInput.step = "1";
  gotoInput.placeholder = "seq";
  gotoInput.dataset.lgwGoto = "";
  gotoInput.setAttribute("aria-label", "go to event number");
  gotoWrap.append(h("span", "lgw-label", "go to #"), gotoInput);
  const position = h("span", "lgw-nav-position");
  const latest = h("button", "lgw-button lgw-latest", "↓ latest");
  latest.type = "button";
  latest.dataset.lgwAction = "latest";
  latest.title = "Jump to the newest event and follow the run";
  latest.hidden = true;
  nav.append(gotoWrap, position, latest);
  nav.hidden = true;
  const footer = h("div", "lgw-snapshot-note lgw-note");
  footer.hidden = true;
  const usage = h("span", "lgw-run-usage");
  usage.hidden = true;
  let usageVersion = 0;

  // ---- frames ----------------------------------------------------------------

  let scheduled = false;
  /** The last frame spent its routing budget: this one builds the rows (see frame). */
  let buildNext = false;
  /** route() emptied the DOM window (the filter's rows changed): build it in this frame. */
  let relisted = false;
  let running = false;
  let again = false;

  const schedule = () => {
    if (destroyed) return;
    if (running) {
      again = true;
      return;
    }
    if (scheduled) return;
    scheduled = true;
    scheduler(run);
  };

  const run = () => {
    scheduled = false;
    if (destroyed) return;
    running = true;
    again = false;
    try {
      frame(budget);
    } catch (err) {
      console.error("lgwidget: timeline frame failed", err);
    } finally {
      running = false;
    }
    if (again) schedule();
  };

  /** Place the store's new events, up to the time budget. True when the budget ran out before them. */
  const route = (budgetMs: number, upTo = store.length): boolean => {
    const deadline = budgetMs === Infinity ? Infinity : now() + budgetMs;
    let n = 0;
    let spent = false;
    let inserted = false;
    while (model.length < upTo) {
      const ev = store.get(model.length);
      if (!ev) break;
      model.ingest(ev);
      // The rows' heights and the filter keep up as they go: the clock
      // counts their share of the events too.
      if ((++n & 15) === 0) {
        inserted = takeRows() || inserted;
        if (now() > deadline) {
          spent = model.length < upTo;
          break;
        }
      }
    }
    inserted = takeRows() || inserted;
    if (inserted) relist();
    else if (shown) while (shown.length < found.rows.length) shown.push(heights.get(found.rows[shown.length]!));
    return spent;
  };

  /** Heights for the model's new rows, and the filter's look at the new events; true when matching rows were inserted. */
  const takeRows = (): boolean => {
    while (heights.length < model.rows.length) {
      if (heights.length >= measuredFlags.length) {
        const grown = new Uint8Array(measuredFlags.length * 2);
        grown.set(measuredFlags);
        measuredFlags = grown;
      }
      heights.push(measuredCount > 0 ? measuredSum / measuredCount : ROW_ESTIMATE);
    }
    return found.update() === "insert";
  };

  /** The matching rows changed other than at the end (or the filter did): rebuild the list's heights and DOM window. */
  const relist = () => {
    relisted = true;
    for (const [r, view] of mounted) release(r, view);
    mounted.clear();
    first = 0;
    last = 0;
    shown = found.active ? new Heights() : null;
    if (shown) for (const r of found.rows) shown.push(heights.get(r));
  };

  const frame = (budgetMs: number) => {
    // A frame that spends the whole routing budget (a burst) leaves the rows
    // to the next frame, which places no events: routing and building take a
    // frame each instead of adding up in one (the first frame of a stream,
    // its code not optimized yet, would be the longest). Under a steady
    // backlog the newest rows still show every other frame.
    relisted = false;
    if (!buildNext && route(budgetMs) && !relisted) {
      buildNext = true;
      schedule();
      return;
    }
    buildNext = false;
    for (const r of model.takeDirty()) {
      const view = mounted.get(r);
      if (view) {
        view.sync();
        decorate(r, view);
      }
      cache.get(r)?.sync();
    }
    layout();
    updateSetSize();
    const root = model.rootState();
    if (root.version !== rootVersion && root.state) {
      rootVersion = root.version;
      state.update(root.state.state, root.state.count, root.state.t);
    }
    updateChrome();
    if (model.length < store.length) schedule();
  };

  // ---- rows in the DOM -------------------------------------------------------

  const viewFor = (i: number): RowView => {
    let view = cache.get(i);
    if (view) {
      cache.delete(i);
      view.sync();
    } else {
      view = new RowView(model.rows[i]!, ctx);
    }
    if (mark && mark.row === i) applyMark(view);
    return view;
  };

  const release = (i: number, view: RowView) => {
    if (view.el) {
      view.el.remove();
      observer?.unobserve(view.el);
    }
    cache.delete(i);
    cache.set(i, view);
    if (cache.size > CACHE_ROWS) {
      const oldest = cache.keys().next().value as number;
      cache.delete(oldest);
    }
  };

  /** Make rows [a, b) the ones in the DOM, in order. */
  const reconcile = (a: number, b: number) => {
    if (a === first && b === last && mounted.size === b - a) return;
    for (const [i, view] of mounted) {
      const p = posOf(i);
      if (p < a || p >= b) {
        mounted.delete(i);
        release(i, view);
      }
    }
    const keepA = Math.max(a, first);
    const keepB = Math.min(b, last);
    const overlap = keepA < keepB;
    const build = (from: number, to: number): DocumentFragment => {
      const frag = document.createDocumentFragment();
      for (let i = from; i < to; i++) {
        const row = rowAt(i);
        const view = viewFor(row);
        mounted.set(row, view);
        decorate(row, view, i);
        if (view.el && expandMode !== null) setExpanded(view.el, expandMode);
        if (view.el) {
          frag.append(view.el);
          observer?.observe(view.el);
        }
      }
      return frag;
    };
    if (overlap) {
      const head = build(a, keepA);
      el.insertBefore(head, el.firstChild);
      el.append(build(keepB, b));
    } else {
      el.append(build(a, b));
    }
    first = a;
    last = b;
  };

  /** Measure the rows in the DOM; true when a height changed. */
  const measure = (): boolean => {
    let changed = false;
    for (const [i, view] of mounted) {
      if (!view.el) continue;
      const height = vp.measure(view.el);
      if (!(height > 0)) continue;
      const fresh = !measuredFlags[i];
      if (fresh) {
        measuredFlags[i] = 1;
        measuredSum += height;
        measuredCount++;
      }
      if (fresh ? height !== heights.get(i) : Math.abs(height - heights.get(i)) > 0.01) {
        heights.set(i, height);
        if (shown) shown.set(posOf(i), height);
        changed = true;
      }
    }
    return changed;
  };

  /**
   * Rows [a, b) to have in the DOM for a viewport at `top` of height
   * `height`. `lean`: only the rows in view, not the margin above and below.
   */
  const windowFor = (top: number, height: number, lean = false): [number, number] => {
    const n = count();
    if (n === 0) return [0, 0];
    const hs = list();
    const over = lean ? 0 : Math.max(200, height / 2);
    let a = hs.find(Math.max(0, top - over));
    let b = Math.min(n, hs.find(top + height + over) + 1);
    if (b - a > MAX_MOUNTED) {
      const va = hs.find(top);
      const vb = Math.min(n, hs.find(top + height) + 1);
      if (vb - va >= MAX_MOUNTED) return [va, va + MAX_MOUNTED];
      const spare = MAX_MOUNTED - (vb - va);
      a = Math.max(a, va - (spare >> 1));
      b = Math.min(b, a + MAX_MOUNTED);
    }
    return [a, b];
  };

  const applyMark = (view: RowView) => {
    if (!mark) return;
    mark.el?.classList.remove("lgw-goto-target");
    mark.el?.removeAttribute("data-lgw-marked");
    const shown = view.find(mark.seq, mark.item);
    const found = (shown && mark.pick?.(shown)) || shown;
    mark.el = found;
    if (found) {
      found.classList.add("lgw-goto-target");
      found.dataset.lgwMarked = String(mark.seq);
    }
  };

  const layout = () => {
    const n = count();
    const heights = list(); // the list's: the matching rows' while filtered
    const height = vp.height();
    if (!(height > 0)) {
      unlaid(n);
      return;
    }
    const actual = vp.scrollTop();
    // Back at 0 without a scroll event: the browser reset it (the list was
    // detached or hidden, e.g. a notebook cell scrolled out of view). Restore.
    const st = actual === 0 && expectedTop > 1 ? expectedTop : actual;
    let anchor = -1;
    let anchorDelta = 0;
    if (!follow && !target && n > 0) {
      anchor = heights.find(st);
      anchorDelta = st - heights.offset(anchor);
    }
    const desired = (): number => {
      const max = Math.max(0, heights.total - height);
      let top: number;
      if (target) {
        top = heights.offset(targetPos(target.row)) - TARGET_MARGIN;
        const view = mounted.get(target.row);
        if (view?.el && target.el) top += vp.offsetIn(target.el, view.el);
      } else if (follow) {
        top = max;
      } else if (anchor >= 0) {
        top = heights.offset(anchor) + anchorDelta;
      } else {
        top = st;
      }
      return Math.max(0, Math.min(max, top));
    };
    // Following a burst whose new rows scrolled every row in the DOM out of
    // the window (all of them are rebuilt): build only the rows in view, not
    // the margin above them, which the next burst would replace unseen. A
    // frame without such a jump (no new rows, a user's action) builds the
    // whole window.
    let lean = false;
    if (follow && !target && model.rows.length > rowsLaidOut) {
      lean = windowFor(desired(), height)[0] >= last;
      if (lean) schedule();
    }
    rowsLaidOut = model.rows.length;
    for (let pass = 0; pass < 4; pass++) {
      const [a, b] = windowFor(desired(), height, lean);
      reconcile(a, b);
      if (target && !target.el && mark?.row === target.row && mounted.has(target.row)) target.el = mark.el;
      if (!measure()) break;
    }
    const top = desired();
    el.style.paddingTop = `${heights.offset(first)}px`;
    el.style.paddingBottom = `${Math.max(0, heights.total - heights.offset(last))}px`;
    if (Math.abs(top - actual) > 0.01) {
      vp.setScrollTop(top);
      expectedTop = vp.scrollTop();
    } else {
      expectedTop = actual;
    }
    target = null;
  };

  /** No layout: show a bounded slice of rows (the last ones when following). */
  const unlaid = (n: number) => {
    let a: number;
    if (target) a = Math.max(0, Math.min(targetPos(target.row) - 20, n - UNLAID_ROWS));
    else if (follow) a = Math.max(0, n - UNLAID_ROWS);
    else a = Math.min(unlaidStart, Math.max(0, n - 1));
    const b = Math.min(n, a + UNLAID_ROWS);
    reconcile(a, b);
    unlaidStart = a;
    el.style.paddingTop = "";
    el.style.paddingBottom = "";
    target = null;
  };

  const setFollow = (on: boolean) => {
    if (on) target = null;
    if (follow === on) return;
    follow = on;
    updateChrome();
    schedule();
  };

  const updateUsage = () => {
    if (model.messages.version === usageVersion) return;
    usageVersion = model.messages.version;
    const u = model.messages.usage();
    usage.hidden = u === null;
    if (!u) return;
    usage.dataset.lgwUsageTotal = String(u.total);
    usage.textContent = `${formatCount(u.total)} tokens`;
    usage.title = `token usage of the run: ${formatCount(u.input)} in, ${formatCount(u.output)} out`;
  };

  const updateChrome = () => {
    updateUsage();
    for (const fn of [...findListeners]) fn();
    el.dataset.lgwFollow = String(follow);
    latest.hidden = follow;
    nav.hidden = store.length === 0;
    gotoInput.max = String(Math.max(0, store.length - 1));
    position.textContent = model.rows.length > 0 ? `${formatCount(model.rows.length)} rows` : "";
    const omitted = snapshot && snapshot.omitted > 0 && store.length <= snapshot.end ? snapshot.omitted : 0;
    footer.hidden = omitted === 0;
    if (omitted) {
      footer.dataset.lgwOmitted = String(omitted);
      footer.textContent = `${formatCount(omitted)} more event${omitted === 1 ? " was" : "s were"} not saved in the notebook (the kernel holds them all)`;
    }
  };

  const goto = (seq: number, pick?: Pick): boolean => {
    if (!Number.isFinite(seq) || store.length === 0) return false;
    const s = Math.max(0, Math.min(store.length - 1, Math.round(seq)));
    route(Infinity, s + 1);
    const item = model.nearestItem(s);
    if (!item) return false;
    const row = item.row;
    // Going to an event the filter hides shows everything again.
    if (shown && found.position(row) < 0) options.filter?.clear();
    if (mark?.el) {
      mark.el.classList.remove("lgw-goto-target");
      mark.el.removeAttribute("data-lgw-marked");
    }
    mark = { seq: s, row, item, el: null, pick: pick ?? null };
    const view = mounted.get(row);
    if (view) applyMark(view);
    target = { seq: s, row, el: mark.el };
    follow = false;
    updateChrome();
    schedule();
    return true;
  };

  // ---- user input ------------------------------------------------------------

  const onScroll = () => {
    const top = vp.scrollTop();
    if (Math.abs(top - expectedTop) > 1) {
      expectedTop = top;
      target = null;
      const atEnd = top + vp.height() >= list().total - FOLLOW_SLACK;
      if (follow !== atEnd) {
        follow = atEnd;
        updateChrome();
      }
    }
    schedule();
  };
  const scrollable = () => list().total > vp.height() + FOLLOW_SLACK;
  const onWheel = (e: WheelEvent) => {
    if (e.deltaY < 0 && scrollable()) setFollow(false);
  };
  const onKey = (e: KeyboardEvent) => {
    if ((e.key === "PageUp" || e.key === "ArrowUp" || e.key === "Home") && scrollable()) setFollow(false);
  };
  scroller.addEventListener("scroll", onScroll, { passive: true });
  scroller.addEventListener("wheel", onWheel, { passive: true });
  scroller.addEventListener("keydown", onKey);
  latest.addEventListener("click", () => setFollow(true));
  const onLinkClick = (e: Event) =>
    followToolLink(e, () => {
      route(Infinity);
      return model.messages;
    }, goto);
  scroller.addEventListener("click", onLinkClick);
  state.el.addEventListener("click", onLinkClick);
  let lastGoto = "";
  const onGoto = (force: boolean) => {
    const text = gotoInput.value.trim();
    if (text === "" || (!force && text === lastGoto)) return;
    lastGoto = text;
    if (goto(Number(text))) gotoInput.removeAttribute("aria-invalid");
    else gotoInput.setAttribute("aria-invalid", "true");
  };
  gotoInput.addEventListener("keydown", (e) => {
    if (e.key === "Enter") {
      e.preventDefault();
      onGoto(true);
    }
  });
  gotoInput.addEventListener("change", () => onGoto(false));

  const observer =
    typeof ResizeObserver === "function"
      ? new ResizeObserver(() => {
          if (!running) schedule();
        })
      : null;
  observer?.observe(scroller);

  // ---- find: ARIA, copy, filter, expand all, keyboard -------------------------

  /** The feed's article attributes on a row in the DOM. */
  const decorate = (row: number, view: RowView, pos = posOf(row)) => {
    const rowEl = view.el;
    if (!rowEl) return;
    const kind = rowEl.dataset.lgwEvent ?? "entry";
    const nodes = rowNodes(model.rows[row]!);
    markArticle(rowEl, pos + 1, count(), nodes.length > 0 ? `${kind}: ${nodes.join(", ")}` : kind);
  };

  const updateSetSize = () => {
    const size = String(count());
    for (const view of mounted.values()) {
      if (view.el && view.el.getAttribute("aria-setsize") !== size) view.el.setAttribute("aria-setsize", size);
    }
  };

  const applyFilter = (filter: Filter) => {
    found.set(filter);
    relist();
    target = null;
    if (!follow) {
      vp.setScrollTop(0);
      expectedTop = vp.scrollTop();
    }
    frameNow(); // the list never shows empty in between
  };

  /** One frame's work now (a user action), unless inside one. */
  const frameNow = () => {
    if (running || destroyed) {
      schedule();
      return;
    }
    running = true;
    try {
      frame(Infinity);
    } finally {
      running = false;
    }
  };

  const expandAll = (on: boolean) => {
    expandMode = on;
    for (const view of mounted.values()) if (view.el) setExpanded(view.el, on);
    schedule(); // heights changed
  };

  const topPosition = (): number => {
    const n = count();
    if (n === 0) return 0;
    return Math.min(n - 1, vp.height() > 0 ? list().find(vp.scrollTop()) : first);
  };

  const reveal = (pos: number): HTMLElement | null => {
    const n = count();
    if (n === 0 || destroyed) return null;
    const row = rowAt(Math.max(0, Math.min(n - 1, pos)));
    follow = false;
    if (!mounted.get(row)?.el) {
      // Not built: scroll there (as a go-to does) and build it now.
      target = { seq: model.rows[row]!.seq, row, el: null };
      frameNow();
    }
    updateChrome();
    return mounted.get(row)?.el ?? null;
  };

  const unCopy = handleCopy(el, (seq) => store.get(seq));
  const unFilter = options.filter?.subscribe(applyFilter);
  if (options.filter?.active) {
    found.set(options.filter.get());
    relist();
  }

  const unsubscribe = store.subscribe(() => {
    updateChrome();
    schedule();
  });
  updateChrome();
  if (store.length > 0) schedule();

  return {
    el,
    scroller,
    nav,
    footer,
    state,
    usage,
    get following() {
      return follow;
    },
    jumpToLatest: () => setFollow(true),
    goto,
    find: () => found.info(),
    onFind(fn: () => void) {
      findListeners.add(fn);
      return () => findListeners.delete(fn);
    },
    expandAll,
    count,
    topPosition,
    reveal,
    setSnapshotInfo(info: SnapshotInfo) {
      snapshot = info;
      updateChrome();
    },
    flush() {
      if (destroyed) return;
      running = true;
      try {
        do {
          again = false;
          frame(Infinity);
        } while (model.length < store.length);
      } finally {
        running = false;
      }
    },
    stats: () => ({
      rows: model.rows.length,
      mounted: mounted.size,
      first,
      last,
      routed: model.length,
      following: follow,
      total: list().total,
      visible: count(),
      matched: found.matched,
    }),
    destroy() {
      destroyed = true;
      unsubscribe();
      unCopy();
      unFilter?.();
      findListeners.clear();
      observer?.disconnect();
      scroller.removeEventListener("scroll", onScroll);
      scroller.removeEventListener("wheel", onWheel);
      scroller.removeEventListener("keydown", onKey);
      scroller.removeEventListener("click", onLinkClick);
      state.el.removeEventListener("click", onLinkClick);
    },
  };
}
