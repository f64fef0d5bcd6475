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

/** A one-line entry whose body is built only when it is first expanded. */
export function collapsible(entry: HTMLElement, head: HTMLElement, body: HTMLElement, build: () => void, open = false): () => void {
  entry.classList.add("lgw-collapsible");
  const toggle = h("button", "lgw-expand");
  toggle.type = "button";
  toggle.append(h("span", "lgw-json-arrow", "▸"));
  head.prepend(toggle);
  let built = false;
  let expanded = false;
  const set = (on: boolean) => {
    expanded = on;
    if (on && !built) {
      built = true;
      build();
    }
    body.hidden = !on;
    toggle.setAttribute("aria-expanded", String(on));
    toggle.setAttribute("aria-label", on ? "collapse" : "expand");
    toggle.firstElementChild!.textContent = on ? "▾" : "▸";
    entry.classList.toggle("lgw-expanded", on);
  };
  toggle.addEventListener("click", (e) => {
    e.stopPropagation();
    set(!expanded);
  });
  set(open);
  return () => set(!expanded);
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
