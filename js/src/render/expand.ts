// Expand or collapse everything in an element: its collapsible entries
// (`.lgw-expand`) and its JSON viewers' branches (`.lgw-json-toggle`). Both
// build their content when first opened, so expanding goes level by level,
// bounded: a huge payload opens its first levels, not all of itself.

/** Toggles opened per call at most. */
export const EXPAND_LIMIT = 300;
/** Levels opened per call at most. */
const EXPAND_LEVELS = 20;

const closed = '.lgw-expand[aria-expanded="false"], .lgw-json-toggle[aria-expanded="false"]';
const open = '.lgw-expand[aria-expanded="true"], .lgw-json-toggle[aria-expanded="true"]';

/** True when something in `root` can be opened. */
export function hasClosed(root: HTMLElement): boolean {
  return root.querySelector(closed) !== null;
}

/** Open (`on`) or close every collapsible entry and JSON branch inside `root`. */
export function setExpanded(root: HTMLElement, on: boolean): void {
  if (!on) {
    for (const toggle of root.querySelectorAll<HTMLElement>(open)) toggle.click();
    return;
  }
  let opened = 0;
  for (let level = 0; level < EXPAND_LEVELS; level++) {
    let changed = false;
    for (const toggle of root.querySelectorAll<HTMLElement>(closed)) {
      if (opened >= EXPAND_LIMIT) return;
      toggle.click();
      opened++;
      // A toggle that stays closed must not make this loop spin.
      if (toggle.getAttribute("aria-expanded") === "true") changed = true;
    }
    if (!changed) return;
  }
}
