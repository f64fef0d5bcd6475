// Keyboard navigation of the timeline. The list is a WAI-ARIA feed (a
// scrolling list of articles that loads more as it scrolls: what a
// virtualized timeline is; a listbox would be a selection widget whose
// options cannot hold the buttons and JSON viewers an entry has). Each
// top-level row is an article with aria-posinset / aria-setsize.
//
// Keys, handled on the widget root and only for focus inside the list (so
// JupyterLab keeps its keys everywhere else): j / ArrowDown and k / ArrowUp
// move focus to the next / previous entry, Home / End to the first / last,
// Enter / Space open or close the focused entry. Handled keys stop there
// (JupyterLab's command mode has j/k too).

import { hasClosed, setExpanded } from "./expand";

/** What the keys move over: the list's rows by position. */
export interface Navigable {
  /** The scrolling element around the list (focusable itself). */
  readonly scroller: HTMLElement;
  /** Rows in the list. */
  count(): number;
  /** Position of the row at the top of the viewport. */
  topPosition(): number;
  /** Scroll row `pos` into view, building it if needed; its element. */
  reveal(pos: number): HTMLElement | null;
}

/** The row's element for `pos` (1-based) set as the feed's article `pos` of `size`. */
export function markArticle(el: HTMLElement, pos: number, size: number, label: string): void {
  el.setAttribute("role", "article");
  setAttr(el, "tabindex", "-1");
  setAttr(el, "aria-posinset", String(pos));
  setAttr(el, "aria-setsize", String(size));
  setAttr(el, "aria-label", label);
}

function setAttr(el: HTMLElement, name: string, value: string): void {
  if (el.getAttribute(name) !== value) el.setAttribute(name, value);
}

function editable(el: HTMLElement): boolean {
  return el.isContentEditable || /^(INPUT|TEXTAREA|SELECT)$/.test(el.tagName);
}

/**
 * Open or close entry `article`: its own toggle when it is a collapsible
 * entry or an events group, else everything in it (JSON branches, nested
 * entries): open when something in it is closed, else close.
 */
export function toggleEntry(article: HTMLElement): void {
  const own = article.querySelector<HTMLElement>(":scope > .lgw-entry-head > .lgw-expand, :scope > .lgw-group-toggle");
  if (own) own.click();
  else setExpanded(article, hasClosed(article));
}

/** Listen for the keys on `root`. Returns the cleanup. */
export function attachKeyboard(root: HTMLElement, nav: Navigable): () => void {
  const onKey = (e: KeyboardEvent) => {
    if (e.defaultPrevented || e.altKey || e.ctrlKey || e.metaKey) return;
    const target = e.target instanceof HTMLElement ? e.target : null;
    if (!target || !nav.scroller.contains(target) || editable(target)) return;
    const article = target.closest<HTMLElement>('[role="article"]');
    const inList = article !== null && nav.scroller.contains(article);
    const pos = inList ? Number(article.getAttribute("aria-posinset")) - 1 : -1;
    const n = nav.count();
    let next: number;
    switch (e.key) {
      case "j":
      case "ArrowDown":
        next = pos < 0 ? nav.topPosition() : pos + 1;
        break;
      case "k":
      case "ArrowUp":
        next = pos < 0 ? nav.topPosition() : pos - 1;
        break;
      case "Home":
        next = 0;
        break;
      case "End":
        next = n - 1;
        break;
      case "Enter":
      case " ":
        // On a button inside the entry the key is the button's.
        if (!inList || target !== article) return;
        e.preventDefault();
        e.stopPropagation();
        toggleEntry(article);
        return;
      default:
        return;
    }
    e.preventDefault();
    e.stopPropagation();
    if (n === 0) return;
    const el = nav.reveal(Math.max(0, Math.min(n - 1, next)));
    el?.focus();
  };
  root.addEventListener("keydown", onKey);
  return () => root.removeEventListener("keydown", onKey);
}
