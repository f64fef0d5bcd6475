// `events` (astream_events): many, so they are grouped: consecutive events of
// one container share a collapsed group ("events · 37 · on_chat_model_stream
// ScriptedChatModel"); its one-line rows are built when it is opened, and
// each row's JSON when the row is.

import { h, isPlainObject } from "../dom";
import { jsonView } from "../json-view";
import { contentText } from "../model/tokens";
import type { EventRecord } from "../types";
import { Pager } from "../paging";
import { appendAll, collapsible, collapsibleEntry, entryShell, nodeLabel, nsLabel, timeLabel, type Collapsible } from "./common";

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
  collapsibleEntry(entry, head, body, () => body.append(jsonView(ev.data, { expandDepth: 1, bare: true })));
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
  private readonly countEl: HTMLElement;
  private readonly lastEl: Text;
  private readonly rows: HTMLElement;
  private readonly pager: Pager<HTMLElement>;
  private readonly view: Collapsible;
  private seen = 0;
  /** Rows built from the window's start while open (grows per "show more"). */
  private limit = GROUP_PAGE;

  constructor(private readonly events: readonly EventRecord[]) {
    const first = events[0]!;
    this.el = h("div", "lgw-group lgw-events-group");
    this.el.dataset.lgwGroup = "events";
    this.el.dataset.lgwSeq = String(first.seq);
    if (first.ns.length) this.el.dataset.lgwNs = first.ns.join("|");
    const toggle = h("button", "lgw-group-toggle");
    toggle.type = "button";
    this.countEl = h("span", "lgw-group-count");
    const last = h("span", "lgw-group-last");
    this.lastEl = document.createTextNode("");
    last.append(this.lastEl);
    toggle.append(h("span", "lgw-json-arrow", "▸"), h("span", "lgw-event-name", "events"), this.countEl, last);
    this.rows = h("div", "lgw-group-rows");
    this.el.append(toggle, this.rows);
    this.pager = new Pager({
      list: () => this.rows,
      total: () => this.seen,
      build: (i) => renderEventRow(this.events[i]!),
      el: (row) => row,
      page: GROUP_PAGE,
      earlier: { cls: "lgw-group-earlier", text: (n, before) => `show ${n} earlier (${before} before)`, click: () => this.buildEarlier() },
      later: {
        cls: "lgw-group-more",
        text: (n, left) => `show ${n} more (${left} left)`,
        click: () => {
          this.limit += GROUP_PAGE;
          this.buildRows();
        },
      },
    });
    this.view = collapsible(this.el, toggle, this.rows, {
      openClass: "lgw-expanded",
      onChange: (open) => {
        if (open) this.buildRows();
      },
    });
    this.sync();
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
    if (this.view.open) this.buildRows();
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
    const from = this.pager.from;
    if (i < from || i >= from + this.limit + GROUP_PAGE) {
      // Far from the rows built: a window around it instead.
      this.pager.jump(i);
      this.limit = GROUP_PAGE;
    } else if (i >= from + this.limit) {
      this.limit = i - from + GROUP_PAGE / 2;
    }
    this.view.set(true);
    return this.rows.querySelector<HTMLElement>(`:scope > [data-lgw-seq="${seq}"]`);
  }

  private buildRows(): void {
    this.pager.append(this.pager.from + this.limit);
    this.pager.update();
  }

  private buildEarlier(): void {
    const from = this.pager.from;
    const start = Math.max(0, from - GROUP_PAGE);
    this.pager.prepend(start);
    this.limit += from - start;
    this.buildRows();
  }
}
