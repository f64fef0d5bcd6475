// `values` events: per event, what changed from the namespace's previous
// state (keys added / changed / removed, items appended to lists: messages as
// messages); and the state panel above the entries with the current state of
// the run (root namespace), built only while it is open.

import { h, isPlainObject } from "../dom";
import { jsonView } from "../json-view";
import { INTERRUPT_KEY, isEmptyDiff, type StateDiff } from "../model/values";
import type { EventRecord } from "../types";
import { appendAll, collapsible, entryShell, eventLabel, nsLabel, timeLabel, type Collapsible } from "./common";
import { renderInterrupts } from "./interrupt";
import { renderMessages } from "./messages";

/** A list whose items read as chat messages. */
export function looksLikeMessages(list: unknown): boolean {
  return (
    Array.isArray(list) &&
    list.length > 0 &&
    list.every((m) => isPlainObject(m) && "content" in m && (typeof m.type === "string" || typeof m.role === "string"))
  );
}

function plural(n: number, one: string, many = one + "s"): string {
  return `${n} ${n === 1 ? one : many}`;
}

/** "+1 message · ~1 changed · −1 removed", or "initial state · 3 keys", or "no change". */
export function diffSummary(d: StateDiff): string {
  if (d.opaque) return "state";
  if (d.initial) return `initial state · ${plural(d.added.length, "key")}`;
  const parts: string[] = [];
  for (const { key, items } of d.appended) {
    parts.push(key === "messages" || looksLikeMessages(items) ? `+${plural(items.length, "message")}` : `+${items.length} ${key}`);
  }
  if (d.added.length) parts.push(`+${plural(d.added.length, "key")}`);
  if (d.changed.length) parts.push(`~${d.changed.length} changed`);
  if (d.removed.length) parts.push(`−${d.removed.length} removed`);
  return parts.length ? parts.join(" · ") : "no change";
}

function row(kind: "added" | "changed" | "removed" | "appended", key: string, note = ""): { el: HTMLElement; body: HTMLElement } {
  const el = h("div", `lgw-diff-row lgw-diff-${kind}`);
  el.dataset.lgwDiff = kind;
  el.dataset.lgwKey = key;
  const head = h("div", "lgw-diff-head");
  const sign = { added: "+", changed: "~", removed: "−", appended: "+" }[kind];
  head.append(h("span", "lgw-diff-sign", sign), h("span", "lgw-diff-key", key));
  if (note) head.append(h("span", "lgw-diff-note", note));
  const body = h("div", "lgw-diff-value");
  el.append(head, body);
  return { el, body };
}

function valueView(key: string, value: unknown): HTMLElement {
  if ((key === "messages" && Array.isArray(value) && value.length > 0) || looksLikeMessages(value)) return renderMessages(value);
  return jsonView(value, { expandDepth: 1, bare: true });
}

export function renderValues(ev: EventRecord, diff: StateDiff): HTMLElement {
  const { entry, head, body } = entryShell(ev, "values");
  const summary = h("span", "lgw-diff-summary", diffSummary(diff));
  const name = eventLabel("values");
  name.title = ev.event;
  appendAll(head, nsLabel(ev.ns), name, summary, timeLabel(ev.t));
  const data = ev.data;
  if (diff.opaque || !isPlainObject(data)) {
    body.append(jsonView(data, { expandDepth: 1, bare: true }));
    return entry;
  }
  if (isEmptyDiff(diff) && !(INTERRUPT_KEY in data)) entry.classList.add("lgw-no-change");
  for (const { key, items } of diff.appended) {
    const r = row("appended", key, plural(items.length, "item"));
    r.body.append(valueView(key, items));
    body.append(r.el);
  }
  for (const key of diff.added) {
    const r = row("added", key);
    r.body.append(valueView(key, data[key]));
    body.append(r.el);
  }
  for (const key of diff.changed) {
    const r = row("changed", key);
    r.body.append(jsonView(data[key], { expandDepth: 1, bare: true }));
    body.append(r.el);
  }
  for (const key of diff.removed) body.append(row("removed", key).el);
  if (INTERRUPT_KEY in data) {
    const block = h("div", "lgw-node-block lgw-interrupt");
    block.dataset.lgwNode = INTERRUPT_KEY;
    // The same interrupt usually has its own entry (updates): here it is compact.
    block.append(renderInterrupts(data[INTERRUPT_KEY], true));
    body.append(block);
    entry.classList.add("lgw-interrupt");
  }
  return entry;
}

/** Messages shown at once in the state panel (the latest). */
const PANEL_MESSAGES = 20;

function panelValue(key: string, value: unknown): HTMLElement {
  if (!Array.isArray(value) || value.length <= PANEL_MESSAGES || !(key === "messages" || looksLikeMessages(value))) {
    return valueView(key, value);
  }
  const wrap = h("div", "lgw-state-messages");
  const more = h("button", "lgw-more", `show ${value.length - PANEL_MESSAGES} earlier messages`);
  more.type = "button";
  more.addEventListener("click", () => wrap.replaceChildren(renderMessages(value)));
  wrap.append(more, renderMessages(value.slice(-PANEL_MESSAGES)));
  return wrap;
}

/** The current state of the run, above the entries; its JSON is built only while open. */
export class StatePanel {
  readonly el = h("div", "lgw-state");
  private readonly summary = h("span", "lgw-panel-summary lgw-state-summary");
  private readonly content = h("div", "lgw-state-content");
  private readonly view: Collapsible;
  private state: unknown = undefined;
  private stale = true;

  constructor() {
    this.el.hidden = true;
    const toggle = h("button", "lgw-panel-toggle lgw-state-toggle");
    toggle.type = "button";
    toggle.append(h("span", "lgw-json-arrow", "▸"), h("span", "lgw-panel-title", "state"), this.summary);
    this.el.append(toggle, this.content);
    this.view = collapsible(this.el, toggle, this.content, {
      onChange: (open) => {
        if (open && this.stale) this.render();
      },
    });
  }

  update(state: unknown, count: number, t: number): void {
    this.state = state;
    this.stale = true;
    this.el.hidden = false;
    const keys = isPlainObject(state) ? Object.keys(state).length : null;
    const when = Number.isFinite(t) ? ` at +${t.toFixed(2)} s` : "";
    this.summary.textContent = ` · ${keys === null ? "" : plural(keys, "key") + " · "}after ${plural(count, "values event")}${when}`;
    if (this.view.open) this.render();
  }

  private render(): void {
    this.stale = false;
    const state = this.state;
    const view = h("div", "lgw-state-view");
    if (isPlainObject(state)) {
      for (const key of Object.keys(state)) {
        const r = h("div", "lgw-state-key");
        r.dataset.lgwKey = key;
        const label = h("div", "lgw-diff-head");
        label.append(h("span", "lgw-diff-key", key));
        const v = state[key];
        const body = h("div", "lgw-diff-value");
        body.append(panelValue(key, v));
        r.append(label, body);
        view.append(r);
      }
    } else {
      view.append(jsonView(state, { expandDepth: 1, bare: true }));
    }
    this.content.replaceChildren(view);
  }
}
