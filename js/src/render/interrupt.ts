// Human in the loop. In the timeline: the interrupt entry shows each
// interrupt's value (its question as text, the value as JSON), or marks a
// breakpoint. In the header: the one action panel of the view, shown while
// the run is `interrupted`: a resume box and Resume for an interrupt(), or
// where the run paused and Continue for a breakpoint.

import { actionButton, h } from "../dom";
import { jsonView } from "../json-view";
import { interruptsOf, parseResumeValue, questionOf, toItems, type InterruptItem } from "../model/interrupts";
import type { EventStore } from "../store";
import type { Model } from "../types";

function isBreakpoint(value: unknown): boolean {
  return Array.isArray(value) && value.length === 0;
}

export function interruptLabel(value?: unknown): HTMLElement {
  return h("span", "lgw-node-name lgw-interrupt-label", isBreakpoint(value) ? "breakpoint" : "interrupt");
}

/**
 * One interrupt's value: the question as text when it has one, and the value
 * as JSON (opened two levels, or closed when `compact`).
 */
export function renderInterruptValue(item: InterruptItem, compact = false): HTMLElement {
  const el = h("div", "lgw-interrupt-item");
  if (item.id) el.append(h("div", "lgw-interrupt-id", `id ${item.id}`));
  const question = questionOf(item.value);
  if (question !== null) {
    const q = h("div", "lgw-interrupt-question");
    q.textContent = question.length > 2000 ? question.slice(0, 2000) + "…" : question;
    el.append(q);
  }
  if (typeof item.value !== "string") el.append(jsonView(item.value, { expandDepth: compact ? 0 : 2, bare: !compact }));
  return el;
}

/** `[{"value": ..., "id": ...}, ...]` as interrupt items; `[]` as a breakpoint note. */
export function renderInterrupts(value: unknown, compact = false): HTMLElement {
  const wrap = h("div", "lgw-interrupts");
  if (isBreakpoint(value)) {
    wrap.classList.add("lgw-breakpoint-note");
    wrap.textContent = "paused at a breakpoint";
    return wrap;
  }
  for (const item of toItems(value)) wrap.append(renderInterruptValue(item, compact));
  return wrap;
}

export interface ActionPanel {
  el: HTMLElement;
  update(): void;
  destroy(): void;
}

function strList(v: unknown): string[] {
  return Array.isArray(v) ? v.filter((x): x is string => typeof x === "string") : [];
}

function safeKey(v: unknown): string {
  try {
    return JSON.stringify(v) ?? "";
  } catch {
    return String(v);
  }
}

/** Sends a message from a button: busy while it goes; the button back and `error` shown when the kernel cannot be reached. */
type Send = (msg: unknown, button: HTMLButtonElement, busy: string, error: HTMLElement) => void;

function sender(model: Model): Send {
  return (msg, button, busy, error) => {
    const label = button.textContent ?? "";
    button.disabled = true;
    button.textContent = busy;
    error.hidden = true;
    try {
      model.send(msg);
    } catch (err) {
      button.disabled = false;
      button.textContent = label;
      error.textContent = "cannot reach the kernel";
      error.hidden = false;
      console.debug("lgwidget: cannot send", err);
    }
  };
}

function errorLine(): HTMLElement {
  const error = h("div", "lgw-hitl-error");
  error.hidden = true;
  return error;
}

/** The panel for an interrupt(): its values, a resume box and Resume. */
function showInterrupt(el: HTMLElement, items: InterruptItem[], send: Send): void {
  el.dataset.lgwHitl = "interrupt";
  const title = h("div", "lgw-hitl-title", items.length > 1 ? `The run waits for an answer (${items.length} interrupts)` : "The run waits for an answer");
  const values = h("div", "lgw-hitl-values");
  for (const item of items) values.append(renderInterruptValue(item));
  const input = h("textarea", "lgw-resume-input");
  input.rows = 2;
  input.placeholder = 'Your answer: text, or JSON such as true or {"approved": true}';
  input.setAttribute("aria-label", "resume value (text or JSON)");
  const button = actionButton("lgw-resume", "Resume", "resume", "Resume the run with this value (JSON if it parses, else the text)");
  const error = errorLine();
  const resume = () => {
    if (button.disabled) return;
    send({ type: "resume", value: parseResumeValue(input.value) }, button, "Resuming…", error);
    input.disabled = button.disabled;
  };
  button.addEventListener("click", resume);
  input.addEventListener("keydown", (e) => {
    if (e.key === "Enter" && (e.ctrlKey || e.metaKey)) {
      e.preventDefault();
      resume();
    }
  });
  const row = h("div", "lgw-hitl-row");
  row.append(input, button);
  el.replaceChildren(title, values, row, error);
}

/** The panel at a breakpoint: where the run paused, and Continue. */
function showBreakpoint(el: HTMLElement, pausedAt: string[], send: Send): void {
  el.dataset.lgwHitl = "breakpoint";
  const title = h("div", "lgw-hitl-title");
  title.append(h("span", "", "Paused at a breakpoint"));
  if (pausedAt.length > 0) {
    title.append(h("span", "", " before "));
    const where = h("span", "lgw-paused-at");
    pausedAt.forEach((node, i) => {
      if (i > 0) where.append(", ");
      where.append(h("span", "lgw-node-name", node));
    });
    title.append(where);
  }
  const button = actionButton("lgw-continue", "Continue", "continue", "Continue the run from the breakpoint");
  const error = errorLine();
  button.addEventListener("click", () => {
    if (!button.disabled) send({ type: "continue" }, button, "Continuing…", error);
  });
  const row = h("div", "lgw-hitl-row");
  row.append(title, button);
  el.replaceChildren(row, error);
}

/**
 * The last interrupt the stream reported, looked for only when needed
 * (while interrupted), backwards from the newest event not looked at yet:
 * appending events does not read (parse) them.
 */
class LastInterrupt {
  private found: InterruptItem[] | null = null;
  private scanned = 0;

  constructor(private readonly store: EventStore) {}

  get(): InterruptItem[] | null {
    const end = this.store.length;
    for (let seq = end - 1; seq >= this.scanned; seq--) {
      const ev = this.store.get(seq);
      if (!ev || (ev.mode !== "updates" && ev.mode !== "values")) continue;
      const found = interruptsOf(ev);
      if (found !== null) {
        this.found = found;
        break;
      }
    }
    this.scanned = end;
    return this.found;
  }
}

/**
 * The view's one Resume / Continue panel. Reads the `interrupts` and
 * `paused_at` traits; without them (an older kernel, a saved notebook) the
 * last `__interrupt__` the stream reported.
 */
export function createActionPanel(model: Model, store: EventStore): ActionPanel {
  const el = h("div", "lgw-hitl");
  el.hidden = true;
  const last = new LastInterrupt(store);
  const send = sender(model);
  /** What the panel shows (the items and where it paused), to rebuild it only when that changes. */
  let key = "";

  const update = () => {
    const status = model.get("status");
    if (status !== "interrupted") {
      if (!el.hidden || key !== "") {
        el.hidden = true;
        el.replaceChildren();
        delete el.dataset.lgwHitl;
        key = "";
      }
      return;
    }
    const traitItems = toItems(model.get("interrupts"));
    const pausedAt = strList(model.get("paused_at"));
    let items: InterruptItem[];
    if (traitItems.length > 0) items = traitItems;
    else if (pausedAt.length > 0) items = [];
    else items = last.get() ?? [];
    const next = safeKey([items, pausedAt]);
    el.hidden = false;
    if (next === key) return; // keep what the user typed
    key = next;
    if (items.length > 0) showInterrupt(el, items, send);
    else showBreakpoint(el, pausedAt, send);
  };

  const onStore = () => {
    if (model.get("status") === "interrupted") update();
  };
  const traits = ["status", "interrupts", "paused_at"];
  for (const t of traits) model.on(`change:${t}`, update);
  const unsubscribe = store.subscribe(onStore);
  update();

  return {
    el,
    update,
    destroy() {
      unsubscribe();
      for (const t of traits) model.off(`change:${t}`, update);
    },
  };
}
