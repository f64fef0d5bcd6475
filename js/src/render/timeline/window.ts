// The rows in the DOM: list positions [first, last), built (render/row.ts)
// when they come near the viewport and released when they leave. A few
// released rows stay built, detached, so scrolling back does not rebuild
// them. Each row in the DOM is an article of the feed (keyboard.ts), and the
// list is padded above and below with the heights of the rows not in it.

import { rowNodes } from "../../model/filter";
import type { TimelineModel } from "../../model/rows";
import type { RenderContext } from "../common";
import { setExpanded } from "../expand";
import { markArticle } from "../keyboard";
import { RowView } from "../row";
import type { RowList } from "./list";
import type { Viewport } from "./virtual";

/** Rows in the DOM at most. */
export const MAX_MOUNTED = 120;
/** Detached rows kept built (scrolling back does not rebuild them). */
const CACHE_ROWS = 48;

export interface WindowHooks {
  /** Row `row` is entering the DOM in `view` (built now or taken from the cache). */
  mounting(row: number, view: RowView): void;
  /** The scroller or a row in the DOM changed size. */
  resized(): void;
}

export class RowWindow {
  /** Views in the DOM by row. */
  private readonly mounted = new Map<number, RowView>();
  /** Detached views by row, oldest first. */
  private readonly cache = new Map<number, RowView>();
  private a = 0;
  private b = 0;
  /** Expand all (true) / collapse all (false) for rows built from now on; null: as built. */
  private expandMode: boolean | null = null;
  private readonly observer: ResizeObserver | null;

  constructor(
    private readonly el: HTMLElement,
    scroller: HTMLElement,
    private readonly rows: RowList,
    private readonly model: TimelineModel,
    private readonly ctx: RenderContext,
    private readonly vp: Viewport,
    private readonly hooks: WindowHooks,
  ) {
    this.observer = typeof ResizeObserver === "function" ? new ResizeObserver(() => hooks.resized()) : null;
    this.observer?.observe(scroller);
  }

  /** First list position in the DOM. */
  get first(): number {
    return this.a;
  }

  /** List position after the last one in the DOM. */
  get last(): number {
    return this.b;
  }

  /** Rows in the DOM. */
  get size(): number {
    return this.mounted.size;
  }

  /** The view of `row` when it is in the DOM. */
  view(row: number): RowView | undefined {
    return this.mounted.get(row);
  }

  /** Apply the operations the model added to rows `dirty` (built ones only). */
  sync(dirty: Iterable<number>): void {
    for (const r of dirty) {
      const view = this.mounted.get(r);
      if (view) {
        view.sync();
        this.decorate(r, view);
      }
      this.cache.get(r)?.sync();
    }
  }

  /**
   * Positions [a, b) to have in the DOM for a viewport at `top` of height
   * `height`. `lean`: only the rows in view, not the margin above and below.
   */
  span(top: number, height: number, lean = false): [number, number] {
    const n = this.rows.count();
    if (n === 0) return [0, 0];
    const hs = this.rows.geometry;
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
  }

  /** Make positions [a, b) the ones in the DOM, in order. */
  reconcile(a: number, b: number): void {
    if (a === this.a && b === this.b && this.mounted.size === b - a) return;
    for (const [i, view] of this.mounted) {
      const p = this.rows.posOf(i);
      if (p < a || p >= b) {
        this.mounted.delete(i);
        this.release(i, view);
      }
    }
    const keepA = Math.max(a, this.a);
    const keepB = Math.min(b, this.b);
    if (keepA < keepB) {
      this.el.insertBefore(this.build(a, keepA), this.el.firstChild);
      this.el.append(this.build(keepB, b));
    } else {
      this.el.append(this.build(a, b));
    }
    this.a = a;
    this.b = b;
  }

  /** Take every row out of the DOM (the list's positions changed). */
  clear(): void {
    for (const [r, view] of this.mounted) this.release(r, view);
    this.mounted.clear();
    this.a = 0;
    this.b = 0;
  }

  /** Measure the rows in the DOM; true when a height changed. */
  measure(): boolean {
    let changed = false;
    for (const [i, view] of this.mounted) {
      if (!view.el) continue;
      const height = this.vp.measure(view.el);
      if (height > 0 && this.rows.measure(i, height)) changed = true;
    }
    return changed;
  }

  /** Pad the list for the rows above and below the DOM's. */
  pad(): void {
    const heights = this.rows.geometry;
    this.el.style.paddingTop = `${heights.offset(this.a)}px`;
    this.el.style.paddingBottom = `${Math.max(0, heights.total - heights.offset(this.b))}px`;
  }

  /** No padding (the list has no layout). */
  unpad(): void {
    this.el.style.paddingTop = "";
    this.el.style.paddingBottom = "";
  }

  /** The feed's set size on every row in the DOM (the list's length changed). */
  updateSetSize(): void {
    const size = String(this.rows.count());
    for (const view of this.mounted.values()) {
      if (view.el && view.el.getAttribute("aria-setsize") !== size) view.el.setAttribute("aria-setsize", size);
    }
  }

  /** Open (or close) every entry in the DOM, and in rows built from now on. */
  expandAll(on: boolean): void {
    this.expandMode = on;
    for (const view of this.mounted.values()) if (view.el) setExpanded(view.el, on);
  }

  destroy(): void {
    this.observer?.disconnect();
  }

  private build(from: number, to: number): DocumentFragment {
    const frag = document.createDocumentFragment();
    for (let i = from; i < to; i++) {
      const row = this.rows.rowAt(i);
      const view = this.viewFor(row);
      this.mounted.set(row, view);
      this.decorate(row, view, i);
      if (view.el && this.expandMode !== null) setExpanded(view.el, this.expandMode);
      if (view.el) {
        frag.append(view.el);
        this.observer?.observe(view.el);
      }
    }
    return frag;
  }

  private viewFor(row: number): RowView {
    let view = this.cache.get(row);
    if (view) {
      this.cache.delete(row);
      view.sync();
    } else {
      view = new RowView(this.model.rows[row]!, this.ctx);
    }
    this.hooks.mounting(row, view);
    return view;
  }

  private release(row: number, view: RowView): void {
    if (view.el) {
      view.el.remove();
      this.observer?.unobserve(view.el);
    }
    this.cache.delete(row);
    this.cache.set(row, view);
    if (this.cache.size > CACHE_ROWS) this.cache.delete(this.cache.keys().next().value as number);
  }

  /** The feed's article attributes on a row in the DOM. */
  private decorate(row: number, view: RowView, pos = this.rows.posOf(row)): void {
    const rowEl = view.el;
    if (!rowEl) return;
    const kind = rowEl.dataset.lgwEvent ?? "entry";
    const nodes = rowNodes(this.model.rows[row]!);
    markArticle(rowEl, pos + 1, this.rows.count(), nodes.length > 0 ? `${kind}: ${nodes.join(", ")}` : kind);
  }
}
