// Long lists built a page at a time: a window [from, to) of built items in a
// list element, with a "show earlier" button before them and a "show more"
// one after them while items are left out, so a JSON array, an events group
// or a subgraph's entries keep a bounded DOM however long they are. The
// owner decides what to build when (a click's page, a go-to's window, new
// items while following); the pager builds, places, drops and labels.

import { h } from "./dom";

/** Items a go-to far from the window shows before its target. */
const JUMP_LEAD = 5;

export interface PageButton {
  /** Class of the button, after `lgw-more`. */
  cls: string;
  /** Its text while `hidden` items are not built on its side (`page`: what one page of them is). */
  text(page: number, hidden: number): string;
  click(): void;
}

export interface PagerOptions<T> {
  /** The element holding the items and the buttons. */
  list(): HTMLElement;
  /** Items in all (the list may grow). */
  total(): number;
  build(index: number): T;
  /** The element showing an item (null: none). */
  el(item: T): HTMLElement | null;
  /** Items per page, for the buttons' texts. */
  page: number;
  /** The button before the items (none: the window starts at 0). */
  earlier?: PageButton;
  /** The button after the items. */
  later: PageButton;
  /** The buttons' clicks do not bubble to the entry or the notebook around the list. */
  stopClicks?: boolean;
}

export class Pager<T> {
  private built: T[] = [];
  private start = 0;
  private before: HTMLButtonElement | null = null;
  private after: HTMLButtonElement | null = null;

  constructor(private readonly o: PagerOptions<T>) {}

  /** Index of the first item built. */
  get from(): number {
    return this.start;
  }

  /** Index after the last item built. */
  get to(): number {
    return this.start + this.built.length;
  }

  /** The items built, [from, to). */
  get items(): readonly T[] {
    return this.built;
  }

  /** Build items [to, end) after those built; returns them. */
  append(end: number): T[] {
    const items = this.make(this.to, Math.min(end, this.o.total()));
    this.place(items, this.inList(this.after));
    this.built.push(...items);
    return items;
  }

  /** Build items [start, from) before those built; returns them. */
  prepend(start: number): T[] {
    const items = this.make(Math.max(0, start), this.start);
    let first: Node | null = null;
    for (const item of this.built) if ((first = this.o.el(item))) break;
    this.place(items, this.inList(first) ?? this.inList(this.after));
    this.built = items.concat(this.built);
    this.start -= items.length;
    return items;
  }

  /** Drop the items built; the window starts, empty, at `from`. */
  reset(from: number): void {
    for (const item of this.built) this.o.el(item)?.remove();
    this.built = [];
    this.start = from;
  }

  /** Drop the items built; the window starts, empty, a few items before `index` (a go-to far away). */
  jump(index: number): void {
    this.reset(Math.max(0, index - JUMP_LEAD));
  }

  /** Drop the first `n` items built. */
  dropFirst(n: number): void {
    for (const item of this.built.splice(0, n)) this.o.el(item)?.remove();
    this.start += n;
  }

  /** Show, relabel or remove the buttons for the items not built. */
  update(): void {
    const { o } = this;
    const list = o.list();
    const before = o.earlier ? this.start : 0;
    const after = o.total() - this.to;
    if (before > 0) {
      this.before ??= this.button(o.earlier!);
      this.label(this.before, o.earlier!, before);
      if (list.firstChild !== this.before) list.prepend(this.before);
    } else if (this.before) {
      this.before.remove();
      this.before = null;
    }
    if (after > 0) {
      this.after ??= this.button(o.later);
      this.label(this.after, o.later, after);
      if (list.lastChild !== this.after) list.append(this.after);
    } else if (this.after) {
      this.after.remove();
      this.after = null;
    }
  }

  private make(start: number, end: number): T[] {
    const items: T[] = [];
    for (let i = start; i < end; i++) items.push(this.o.build(i));
    return items;
  }

  /** Put the items' elements in the list, before `next` (null: at the end). */
  private place(items: readonly T[], next: Node | null): void {
    const frag = document.createDocumentFragment();
    for (const item of items) {
      const el = this.o.el(item);
      if (el) frag.append(el);
    }
    this.o.list().insertBefore(frag, next);
  }

  /** `node` when it is in the list, else null. */
  private inList(node: Node | null): Node | null {
    return node && node.parentNode === this.o.list() ? node : null;
  }

  private button(spec: PageButton): HTMLButtonElement {
    const b = h("button", `lgw-more ${spec.cls}`);
    b.type = "button";
    b.addEventListener("click", (e) => {
      if (this.o.stopClicks) e.stopPropagation();
      spec.click();
    });
    return b;
  }

  private label(b: HTMLButtonElement, spec: PageButton, hidden: number): void {
    b.textContent = spec.text(Math.min(hidden, this.o.page), hidden);
    b.dataset.lgwHidden = String(hidden);
  }
}
