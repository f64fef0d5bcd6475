// Where the list is scrolled, and which rows that puts in the DOM. "Follow":
// the newest rows stay in view until the user scrolls up; then the row at
// the top of the viewport stays put while events arrive, until the list is
// asked to follow again. A go-to's target is scrolled to once, by the next
// layout. Without a layout (hidden, or jsdom) a bounded slice of rows shows.

import type { TimelineModel } from "../../model/rows";
import type { RowList } from "./list";
import type { Viewport } from "./virtual";
import type { RowWindow } from "./window";

/** Rows shown while the list has no layout (hidden, or jsdom): the last ones, or those around a go-to. */
export const UNLAID_ROWS = 60;
/** Distance from the bottom that still counts as "at the end", px. */
const FOLLOW_SLACK = 24;
/** Margin above a go-to target, px. */
const TARGET_MARGIN = 8;

export interface ScrollHooks {
  /** Lay out again in a frame. */
  schedule(): void;
  /** Following started or stopped. */
  changed(): void;
  /** The go-to's marked element in `row`, once the row is in the DOM. */
  markIn(row: number): HTMLElement | null;
}

/** A go-to: the row to scroll to, and the element in it to put at the top once known. */
interface Target {
  row: number;
  el: HTMLElement | null;
}

export class Scroll {
  private follow = true;
  private target: Target | null = null;
  /** The scroll position the list last set or saw. */
  private expectedTop = 0;
  /** Rows the model had at the last layout. */
  private rowsLaidOut = 0;
  private unlaidStart = 0;

  constructor(
    private readonly scroller: HTMLElement,
    private readonly vp: Viewport,
    private readonly rows: RowList,
    private readonly win: RowWindow,
    private readonly model: TimelineModel,
    private readonly hooks: ScrollHooks,
  ) {
    scroller.addEventListener("scroll", this.onScroll, { passive: true });
    scroller.addEventListener("wheel", this.onWheel, { passive: true });
    scroller.addEventListener("keydown", this.onKey);
  }

  get following(): boolean {
    return this.follow;
  }

  /** Follow the newest events (or stop). */
  setFollow(on: boolean): void {
    if (on) this.target = null;
    if (this.follow === on) return;
    this.follow = on;
    this.hooks.changed();
    this.hooks.schedule();
  }

  /** Stop following, quietly (the caller says what changed). */
  stop(): void {
    this.follow = false;
  }

  /** Scroll to `row` in the next layout (`el`, in it, at the top when given), and stop following. */
  aim(row: number, el: HTMLElement | null): void {
    this.target = { row, el };
    this.follow = false;
  }

  /** The list changed under the viewport (a new filter): its top, unless following. */
  restart(): void {
    this.target = null;
    if (!this.follow) {
      this.vp.setScrollTop(0);
      this.expectedTop = this.vp.scrollTop();
    }
  }

  /** Position of the row at the top of the viewport. */
  topPosition(): number {
    const n = this.rows.count();
    if (n === 0) return 0;
    return Math.min(n - 1, this.vp.height() > 0 ? this.rows.geometry.find(this.vp.scrollTop()) : this.win.first);
  }

  /** Put the rows for the scroll position in the DOM, measure them, and scroll where the list should be. */
  layout(): void {
    const n = this.rows.count();
    const heights = this.rows.geometry;
    const height = this.vp.height();
    if (!(height > 0)) {
      this.unlaid(n);
      return;
    }
    const actual = this.vp.scrollTop();
    // Back at 0 without a scroll event: the browser reset it (the list was
    // detached or hidden, e.g. a notebook cell scrolled out of view). Restore.
    const st = actual === 0 && this.expectedTop > 1 ? this.expectedTop : actual;
    let anchor = -1;
    let anchorDelta = 0;
    if (!this.follow && !this.target && n > 0) {
      anchor = heights.find(st);
      anchorDelta = st - heights.offset(anchor);
    }
    const desired = (): number => {
      const max = Math.max(0, heights.total - height);
      let top: number;
      if (this.target) {
        top = heights.offset(this.rows.nearestPos(this.target.row)) - TARGET_MARGIN;
        const view = this.win.view(this.target.row);
        if (view?.el && this.target.el) top += this.vp.offsetIn(this.target.el, view.el);
      } else if (this.follow) {
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
    if (this.follow && !this.target && this.model.rows.length > this.rowsLaidOut) {
      lean = this.win.span(desired(), height)[0] >= this.win.last;
      if (lean) this.hooks.schedule();
    }
    this.rowsLaidOut = this.model.rows.length;
    for (let pass = 0; pass < 4; pass++) {
      const [a, b] = this.win.span(desired(), height, lean);
      this.win.reconcile(a, b);
      if (this.target && !this.target.el) this.target.el = this.hooks.markIn(this.target.row);
      if (!this.win.measure()) break;
    }
    const top = desired();
    this.win.pad();
    if (Math.abs(top - actual) > 0.01) {
      this.vp.setScrollTop(top);
      this.expectedTop = this.vp.scrollTop();
    } else {
      this.expectedTop = actual;
    }
    this.target = null;
  }

  destroy(): void {
    this.scroller.removeEventListener("scroll", this.onScroll);
    this.scroller.removeEventListener("wheel", this.onWheel);
    this.scroller.removeEventListener("keydown", this.onKey);
  }

  /** No layout: show a bounded slice of rows (the last ones when following). */
  private unlaid(n: number): void {
    let a: number;
    if (this.target) a = Math.max(0, Math.min(this.rows.nearestPos(this.target.row) - 20, n - UNLAID_ROWS));
    else if (this.follow) a = Math.max(0, n - UNLAID_ROWS);
    else a = Math.min(this.unlaidStart, Math.max(0, n - 1));
    const b = Math.min(n, a + UNLAID_ROWS);
    this.win.reconcile(a, b);
    this.unlaidStart = a;
    this.win.unpad();
    this.target = null;
  }

  private scrollable(): boolean {
    return this.rows.geometry.total > this.vp.height() + FOLLOW_SLACK;
  }

  private readonly onScroll = (): void => {
    const top = this.vp.scrollTop();
    if (Math.abs(top - this.expectedTop) > 1) {
      this.expectedTop = top;
      this.target = null;
      const atEnd = top + this.vp.height() >= this.rows.geometry.total - FOLLOW_SLACK;
      if (this.follow !== atEnd) {
        this.follow = atEnd;
        this.hooks.changed();
      }
    }
    this.hooks.schedule();
  };

  private readonly onWheel = (e: WheelEvent): void => {
    if (e.deltaY < 0 && this.scrollable()) this.setFollow(false);
  };

  private readonly onKey = (e: KeyboardEvent): void => {
    if ((e.key === "PageUp" || e.key === "ArrowUp" || e.key === "Home") && this.scrollable()) this.setFollow(false);
  };
}
