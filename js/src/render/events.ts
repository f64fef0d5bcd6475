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

/**
 * A group over a list of events that keeps growing (shared with the model):
 * `sync()` takes the events added since, `reveal(seq)` opens the group on
 * one of them. Opened, it builds a window of rows: the first page, then a
 * page more per "show more"; a go-to far away moves the window, with a
 * button for the earlier rows.
 */
export class EventsGroup {
  readonly el: HTMLElement;
  private readonly toggle: HTMLButtonElement;
  private readonly countEl: HTMLElement;
  private readonly lastEl: Text;
  private readonly rows: HTMLElement;
  private seen = 0;
  /** Rows built: [from, to). */
  private from = 0;
  private to = 0;
  private open = false;
  private limit = GROUP_PAGE;
  private more: HTMLButtonElement | null = null;
  private earlier: HTMLButtonElement | null = null;

  constructor(private readonly events: readonly EventRecord[]) {
    const first = events[0]!;
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
    this.sync();
  }

  get size(): number {
    return this.seen;
  }

  /** Show the events added to the list since the last call. */
  sync(): void {
    const n = this.events.length;
    if (n === this.seen) return;
    this.seen = n;
    this.el.dataset.lgwCount = String(n);
    this.countEl.textContent = ` · ${n}`;
    const s = eventSummary(this.events[n - 1]!.data);
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

  /** Open the group with event `seq`'s row built; returns that row (null: not in the group). */
  reveal(seq: number): HTMLElement | null {
    let i = -1;
    let lo = 0;
    let hi = this.seen - 1;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      const s = this.events[mid]!.seq;
      if (s === seq) {
        i = mid;
        break;
      }
      if (s < seq) lo = mid + 1;
      else hi = mid - 1;
    }
    if (i < 0) return null;
    if (i < this.from || i >= this.from + this.limit + GROUP_PAGE) {
      // Far from the rows built: a window around it instead.
      this.rows.replaceChildren();
      this.from = this.to = Math.max(0, i - 5);
      this.limit = GROUP_PAGE;
    } else if (i >= this.from + this.limit) {
      this.limit = i - this.from + GROUP_PAGE / 2;
    }
    this.setOpen(true);
    return this.rows.querySelector<HTMLElement>(`:scope > [data-lgw-seq="${seq}"]`);
  }

  private buildRows(): void {
    const end = Math.min(this.seen, this.from + this.limit);
    const frag = document.createDocumentFragment();
    for (; this.to < end; this.to++) frag.append(renderEventRow(this.events[this.to]!));
    this.rows.insertBefore(frag, this.more && this.more.parentNode === this.rows ? this.more : null);
    if (this.from > 0) {
      if (!this.earlier) {
        this.earlier = h("button", "lgw-more lgw-group-earlier");
        this.earlier.type = "button";
        this.earlier.addEventListener("click", () => this.buildEarlier());
      }
      this.earlier.textContent = `show ${Math.min(this.from, GROUP_PAGE)} earlier (${this.from} before)`;
      if (this.rows.firstChild !== this.earlier) this.rows.prepend(this.earlier);
    } else if (this.earlier) {
      this.earlier.remove();
      this.earlier = null;
    }
    const left = this.seen - this.to;
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

  private buildEarlier(): void {
    const start = Math.max(0, this.from - GROUP_PAGE);
    const frag = document.createDocumentFragment();
    for (let i = start; i < this.from; i++) frag.append(renderEventRow(this.events[i]!));
    const first = this.earlier?.nextSibling ?? this.rows.firstChild;
    this.rows.insertBefore(frag, first);
    this.limit += this.from - start;
    this.from = start;
    this.buildRows();
  }
}
