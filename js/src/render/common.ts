// Pieces shared by the entry renderers: the entry shell and its head line.

import { formatOffset, h } from "../dom";
import type { EventRecord } from "../types";
import { copyButton } from "./copy";

/** What a renderer may ask about the rest of the timeline. */
export interface RenderContext {
  /** 0-based index of event `seq` among the events of its mode. */
  ordinal(seq: number): number;
  /** Step number of an `updates` event within its container (else ordinal + 1). */
  step?: number;
  /** The node an event comes from, when the timeline knows it (custom events). */
  node?: string | null;
}

export interface Shell {
  entry: HTMLElement;
  head: HTMLElement;
  body: HTMLElement;
}

/**
 * An entry's head line, born with its copy button (which the styles show
 * last, after what the renderer appends).
 */
export function entryHead(): HTMLElement {
  const head = h("div", "lgw-entry-head");
  head.append(copyButton());
  return head;
}

/**
 * `.lgw-entry[data-lgw-event][data-lgw-seq]` with a head line and a body.
 * Subgraph events (non-empty ns) get `data-lgw-ns` and an indent level.
 */
export function entryShell(ev: EventRecord, kind: string): Shell {
  const entry = h("div", `lgw-entry lgw-kind-${cssToken(kind)}`);
  entry.dataset.lgwEvent = kind;
  entry.dataset.lgwSeq = String(ev.seq);
  const head = entryHead();
  const body = h("div", "lgw-entry-body");
  if (ev.ns.length > 0) {
    entry.classList.add("lgw-sub");
    entry.dataset.lgwNs = ev.ns.join("|");
    entry.dataset.lgwDepth = String(Math.min(ev.ns.length, 4));
  }
  entry.append(head, body);
  return { entry, head, body };
}

export interface CollapsibleOptions {
  /** Open at first (closed by default). */
  open?: boolean;
  /** Fills the body the first time it opens: content nobody opens is never built. */
  build?: () => void;
  /** After each open or close (also when set to the state it is in). */
  onChange?: (open: boolean) => void;
  /** Class `el` has while open. */
  openClass?: string;
}

export interface Collapsible {
  readonly open: boolean;
  set(open: boolean): void;
}

/**
 * `el` opened and closed by `toggle`, a button whose first child is the
 * arrow: while closed `body` is hidden; the toggle's aria-expanded, the arrow
 * (▸ / ▾) and `el`'s open class follow. Every part of the view that opens and
 * closes (entries, events groups, panels, JSON branches) does it here, so
 * expand all (expand.ts) and the keys (keyboard.ts) find them all alike.
 */
export function collapsible(el: HTMLElement, toggle: HTMLButtonElement, body: HTMLElement, options: CollapsibleOptions = {}): Collapsible {
  const { build, onChange, openClass } = options;
  let built = false;
  let open = false;
  const set = (on: boolean) => {
    open = on;
    if (on && !built && build) {
      built = true;
      build();
    }
    body.hidden = !on;
    toggle.setAttribute("aria-expanded", String(on));
    toggle.firstElementChild!.textContent = on ? "▾" : "▸";
    if (openClass) el.classList.toggle(openClass, on);
    onChange?.(on);
  };
  toggle.addEventListener("click", () => set(!open));
  set(options.open ?? false);
  return {
    get open() {
      return open;
    },
    set,
  };
}

/** A one-line entry, an arrow button first in its head, whose body is built only when it is first expanded. */
export function collapsibleEntry(entry: HTMLElement, head: HTMLElement, body: HTMLElement, build: () => void, open = false): void {
  entry.classList.add("lgw-collapsible");
  const toggle = h("button", "lgw-expand");
  toggle.type = "button";
  toggle.append(h("span", "lgw-json-arrow", "▸"));
  head.prepend(toggle);
  // Its click is the entry's alone: it does not bubble to the row or the notebook around it.
  toggle.addEventListener("click", (e) => e.stopPropagation());
  // Only an arrow: the label says what a click does.
  const label = (on: boolean) => toggle.setAttribute("aria-label", on ? "collapse" : "expand");
  collapsible(entry, toggle, body, { build, open, openClass: "lgw-expanded", onChange: label });
}

/** Class-name-safe token for a (possibly hostile) event kind. */
export function cssToken(s: string): string {
  return s.replace(/[^a-zA-Z0-9_-]/g, "_").slice(0, 40) || "_";
}

/** "+0.91 s" span, or nothing when t is unknown. */
export function timeLabel(t: number): HTMLElement | null {
  const text = formatOffset(t);
  return text ? h("span", "lgw-time", text) : null;
}

/** Subgraph path badge: "research ›" with the full namespace as the title. */
export function nsLabel(ns: string[]): HTMLElement | null {
  if (ns.length === 0) return null;
  const names = ns.map((part) => {
    const colon = part.indexOf(":");
    return colon >= 0 ? part.slice(0, colon) : part;
  });
  const el = h("span", "lgw-ns", names.join(" › ") + " ›");
  el.title = ns.join(" | ");
  return el;
}

export function nodeLabel(name: string): HTMLElement {
  return h("span", "lgw-node-name", name);
}

export function eventLabel(name: string): HTMLElement {
  return h("span", "lgw-event-name", name);
}

/** Append the non-null items to `parent`. */
export function appendAll(parent: HTMLElement, ...items: Array<Node | null | undefined>): void {
  for (const item of items) if (item) parent.append(item);
}
