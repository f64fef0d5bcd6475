// Tool calls and their results, linked by id: a tool call
// (`[data-lgw-tool-call="<id>"]`) carries a "result" button, a tool result
// (`[data-lgw-tool-result="<id>"]`) a "call" button. Clicking one goes to the
// event that holds the other (model/message-index.ts knows which, whether or
// not its row is in the DOM) and marks the other element.

import { h } from "../dom";
import type { MessageIndex } from "../model/message-index";

export type LinkSide = "call" | "result";

const LABELS: Record<LinkSide, string> = { result: "↓ result", call: "↑ call" };

/** The button on one side that goes to the `to` side of tool call `id`. */
export function toolLinkButton(to: LinkSide, id: string): HTMLButtonElement {
  const b = h("button", "lgw-tool-link", LABELS[to]);
  b.type = "button";
  b.dataset.lgwLink = to;
  b.dataset.lgwLinkId = id;
  b.title = to === "result" ? "Show this call's result" : "Show the call this answers";
  return b;
}

/** The element of `side` for tool call `id` in `root` (root included), or null. */
export function findLinked(root: HTMLElement, side: LinkSide, id: string): HTMLElement | null {
  const attr = side === "call" ? "lgwToolCall" : "lgwToolResult";
  if (root.dataset[attr] === id) return root;
  const selector = side === "call" ? "[data-lgw-tool-call]" : "[data-lgw-tool-result]";
  for (const el of root.querySelectorAll<HTMLElement>(selector)) if (el.dataset[attr] === id) return el;
  return null;
}

/**
 * A click on a link button: go to the other side (`goto(seq, pick)` scrolls
 * to event seq and marks what `pick` finds in its element; `index` is asked
 * only for a link click, once every event is placed). When the run has
 * not shown the other side (yet), the button says so.
 */
export function followToolLink(
  e: Event,
  index: () => MessageIndex,
  goto: (seq: number, pick: (el: HTMLElement) => HTMLElement | null) => boolean,
): void {
  const target = e.target;
  if (!(target instanceof Element)) return;
  const button = target.closest<HTMLElement>("button[data-lgw-link]");
  const id = button?.dataset.lgwLinkId;
  const side = button?.dataset.lgwLink;
  if (!button || !id || (side !== "call" && side !== "result")) return;
  e.stopPropagation();
  const links = index();
  const seq = side === "call" ? links.callSeq(id) : links.resultSeq(id);
  if (seq === undefined) {
    button.dataset.lgwMissing = "true";
    button.title = side === "result" ? "No result for this call in the run (yet)" : "The call is not in the run";
    return;
  }
  button.removeAttribute("data-lgw-missing");
  goto(seq, (el) => findLinked(el, side, id));
}
