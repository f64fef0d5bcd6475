// `events` (astream_events): many, so they are grouped: consecutive events of
// one container share a collapsed group ("events · 37 · on_chat_model_stream
// ScriptedChatModel"); its one-line rows are built when it is opened, and
// each row's JSON when the row is.

import { h, isPlainObject } from "../dom";
import { jsonView } from "../json-view";
import { contentText } from "../model/tokens";
import type { EventRecord } from "../types";
import { appendAll, collapsible, entryShell, nodeLabel, nsLabel, timeLabel } from "./common";

/** "on_chain_start", "agent", node: the parts of an astream_events record worth a line. */
export function eventSummary(data: unknown): { kind: string; name: string; node: string | null; detail: string } {
  if (!isPlainObject(data)) return { kind: "?", name: "", node: null, detail: "" };
  const meta = isPlainObject(data.metadata) ? data.metadata : {};
  // A streamed token: its text, short.
  const payload = isPlainObject(data.data) ? data.data : {};
  const chunk = isPlainObject(payload.chunk) ? payload.chunk : null;
  let detail = chunk ? contentText(chunk.content) : "";
  if (detail.length > 60) detail = detail.slice(0, 60) + "…";
  return {
    kind: typeof data.event === "string" ? data.event : "?",
    name: typeof data.name === "string" ? data.name : "",
    node: typeof meta.langgraph_node === "string" ? meta.langgraph_node : null,
    detail,
  };
}

export function renderEventRow(ev: EventRecord): HTMLElement {
  const { entry, head, body } = entryShell(ev, "events");
  entry.classList.add("lgw-event-row", "lgw-compact");
  const s = eventSummary(ev.data);
  if (s.node) entry.dataset.lgwNode = s.node;
  appendAll(
    head,
    nsLabel(ev.ns),
    h("span", "lgw-event-kind", s.kind),
    s.name ? h("span", "lgw-event-target", s.name) : null,
    s.node ? nodeLabel(s.node) : null,
    s.detail ? h("span", "lgw-event-detail", JSON.stringify(s.detail)) : null,
    timeLabel(ev.t),
  );
  collapsible(entry, head, body, () => body.append(jsonView(ev.data, { expandDepth: 1, bare: true })));
  return entry;
}

/** Rows built per page of an opened group. */
export const GROUP_PAGE = 200;

export class EventsGroup {
  readonly el: HTMLElement;
  private readonly toggle: HTMLButtonElement;
  private readonly countEl: HTMLElement;
  private readonly lastEl: Text;
  private readonly rows: HTMLElement;
  private readonly events: EventRecord[] = [];
  private built = 0;
  private open = false;
  private limit = GROUP_PAGE;
  private more: HTMLButtonElement | null = null;

  constructor(first: EventRecord) {
    this.el = h("div", "lgw-group lgw-events-group");
    this.el.dataset.lgwGroup = "events";
    this.el.dataset.lgwSeq = String(first.seq);
    if (first.ns.length) this.el.dataset.lgwNs = first.ns.join("|");
    this.toggle = h("button", "lgw-group-toggle");
    this.toggle.type = "button";
    this.toggle.setAttribute("aria-expanded", "false");
    this.countEl = h("span", "lgw-group-count");
    const last = h("span", "lgw-group-last");
    this.lastEl = document.createTextNode("");
    last.append(this.lastEl);
    this.toggle.append(h("span", "lgw-json-arrow", "▸"), h("span", "lgw-event-name", "events"), this.countEl, last);
    this.toggle.addEventListener("click", () => this.setOpen(!this.open));
    this.rows = h("div", "lgw-group-rows");
    this.rows.hidden = true;
    this.el.append(this.toggle, this.rows);
    this.add(first);
  }

  get size(): number {
    return this.events.length;
  }

  add(ev: EventRecord): void {
    this.events.push(ev);
    this.el.dataset.lgwCount = String(this.events.length);
    this.countEl.textContent = ` · ${this.events.length}`;
    const s = eventSummary(ev.data);
    this.lastEl.data = ` · ${s.kind}${s.name ? " " + s.name : ""}`;
    if (this.open) this.buildRows();
  }

  setOpen(open: boolean): void {
    this.open = open;
    this.toggle.setAttribute("aria-expanded", String(open));
    this.toggle.firstElementChild!.textContent = open ? "▾" : "▸";
    this.rows.hidden = !open;
    this.el.classList.toggle("lgw-expanded", open);
    if (open) this.buildRows();
  }

  private buildRows(): void {
    const end = Math.min(this.events.length, this.limit);
    const frag = document.createDocumentFragment();
    for (; this.built < end; this.built++) frag.append(renderEventRow(this.events[this.built]!));
    this.rows.append(frag);
    const left = this.events.length - this.built;
    if (left > 0) {
      if (!this.more) {
        this.more = h("button", "lgw-more lgw-group-more");
        this.more.type = "button";
        this.more.addEventListener("click", () => {
          this.limit += GROUP_PAGE;
          this.buildRows();
        });
      }
      this.more.textContent = `show ${Math.min(left, GROUP_PAGE)} more (${left} left)`;
      this.rows.append(this.more);
    } else if (this.more) {
      this.more.remove();
      this.more = null;
    }
  }
}
