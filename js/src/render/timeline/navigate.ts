// Going to an event: a go-to (the nav's input, a waterfall bar, a tool link
// to its call or result) scrolls to the row holding the event and marks it
// (`data-lgw-marked`, `.lgw-goto-target`: the element showing the event, or
// what `pick` finds in it), opening a subgraph list or an events group on it;
// and the keys' moves (keyboard.ts) reveal rows by list position.

import type { Item, TimelineModel } from "../../model/rows";
import type { EventStore } from "../../store";
import type { RowView } from "../row";
import { followToolLink } from "../toollinks";
import type { Feed } from "./feed";
import type { FrameLoop } from "./frames";
import type { RowList } from "./list";
import type { Scroll } from "./scroll";
import type { RowWindow } from "./window";

/** Finds the element to mark inside the element showing an event. */
export type Pick = (el: HTMLElement) => HTMLElement | null;

interface Mark {
  seq: number;
  row: number;
  item: Item;
  el: HTMLElement | null;
  pick: Pick | null;
}

/** The timeline's parts a go-to moves. */
export interface NavigatorParts {
  store: EventStore;
  model: TimelineModel;
  rows: RowList;
  win: RowWindow;
  scroll: Scroll;
  feed: Feed;
  loop: FrameLoop;
  /** Show every event again (a go-to to an event the filter hides). */
  clearFilter(): void;
  /** Following, rows or the marked element changed: update the chrome. */
  changed(): void;
}

export class Navigator {
  private mark: Mark | null = null;

  constructor(
    private readonly p: NavigatorParts,
    /** Elements whose tool links go to their partner message. */
    private readonly linked: readonly HTMLElement[],
  ) {
    for (const el of linked) el.addEventListener("click", this.onLinkClick);
  }

  /**
   * Scroll to the row holding event `seq` and mark it (or what `pick` finds
   * in its element, e.g. one tool result). False when there are no events.
   */
  readonly goto = (seq: number, pick?: Pick): boolean => {
    const { store, model, rows, win } = this.p;
    if (!Number.isFinite(seq) || store.length === 0) return false;
    const s = Math.max(0, Math.min(store.length - 1, Math.round(seq)));
    this.p.feed.route(Infinity, s + 1);
    const item = model.nearestItem(s);
    if (!item) return false;
    const row = item.row;
    // Going to an event the filter hides shows everything again.
    if (rows.filtered && rows.posOf(row) < 0) this.p.clearFilter();
    unmark(this.mark?.el);
    this.mark = { seq: s, row, item, el: null, pick: pick ?? null };
    const view = win.view(row);
    if (view) this.apply(view);
    this.p.scroll.aim(row, this.mark.el);
    this.p.changed();
    this.p.loop.schedule();
    return true;
  };

  /** Row `row` enters the DOM: mark the go-to's element in it. */
  mounting(row: number, view: RowView): void {
    if (this.mark && this.mark.row === row) this.apply(view);
  }

  /** The marked element when it is in row `row`, in the DOM. */
  markIn(row: number): HTMLElement | null {
    return this.mark?.row === row && this.p.win.view(row) ? this.mark.el : null;
  }

  /** Scroll list position `pos` into view, building its row if needed; the row's element. */
  reveal(pos: number): HTMLElement | null {
    const { rows, win, scroll } = this.p;
    const n = rows.count();
    if (n === 0 || this.p.loop.done) return null;
    const row = rows.rowAt(Math.max(0, Math.min(n - 1, pos)));
    scroll.stop();
    if (!win.view(row)?.el) {
      // Not built: scroll there (as a go-to does) and build it now.
      scroll.aim(row, null);
      this.p.loop.now();
    }
    this.p.changed();
    return win.view(row)?.el ?? null;
  }

  destroy(): void {
    for (const el of this.linked) el.removeEventListener("click", this.onLinkClick);
  }

  private apply(view: RowView): void {
    const mark = this.mark;
    if (!mark) return;
    unmark(mark.el);
    const shown = view.find(mark.seq, mark.item);
    const found = (shown && mark.pick?.(shown)) || shown;
    mark.el = found;
    if (found) {
      found.classList.add("lgw-goto-target");
      found.dataset.lgwMarked = String(mark.seq);
    }
  }

  private readonly onLinkClick = (e: Event): void => {
    followToolLink(
      e,
      () => {
        this.p.feed.route(Infinity);
        return this.p.model.messages;
      },
      this.goto,
    );
  };
}

function unmark(el: HTMLElement | null | undefined): void {
  el?.classList.remove("lgw-goto-target");
  el?.removeAttribute("data-lgw-marked");
}
