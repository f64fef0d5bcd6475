// Builds one top-level row of the timeline from its items' operations (see
// model/rows.ts), and keeps it up to date as operations are added: a
// streaming message's text, a task row's result, an events group's count, a
// node entry filled by its update, new entries in a node entry's subgraph
// list. Built when the row scrolls into view, dropped when it leaves. A
// subgraph list shows its latest entries (CHILDREN_SHOWN, trimmed as more
// arrive) and builds earlier ones on demand, so one node entry that ran a
// long subgraph stays small in the DOM too.

import { diffState, stripInterrupt } from "../model/values";
import { formatCount, h } from "../dom";
import type { EntrySpec, EventsGroupModel, Item, Op } from "../model/rows";
import type { StreamMessage } from "../model/tokens";
import type { EventRecord } from "../types";
import type { RenderContext } from "./common";
import { renderCustom } from "./custom";
import { failedEntry, renderEvent } from "./entry";
import { EventsGroup } from "./events";
import { renderGeneric } from "./generic";
import { NodeEntry } from "./node";
import { renderNote } from "./note";
import { renderCheckpoint, renderCompact, TaskRow } from "./tasks";
import { renderUpdates } from "./updates";
import { renderValues } from "./values";

/** A standalone entry from its spec. */
export function renderSpec(ev: EventRecord, spec: EntrySpec, ctx: RenderContext): HTMLElement {
  switch (spec.type) {
    case "updates":
      return renderUpdates(spec.data ? { ...ev, data: spec.data } : ev, { ...ctx, step: spec.step });
    case "custom":
      return renderCustom(ev, { ...ctx, node: spec.node });
    case "values":
      return renderValues(ev, diffState(spec.prev, stripInterrupt(ev.data)));
    case "generic": {
      const el = renderGeneric(ev);
      if (spec.failed) el.classList.add("lgw-render-failed");
      return el;
    }
    case "note":
      return renderNote(ev);
    case "compact":
      return renderCompact(ev, spec.kind, spec.label);
    case "checkpoint":
      return renderCheckpoint(ev, spec.info, spec.kind, spec.payload);
    case "other":
      return renderEvent(ev, ctx);
  }
}

/** Subgraph entries built per node entry at first (the latest ones), and per "show more". */
export const CHILDREN_SHOWN = 50;
/** A go-to this far from the entries shown builds the gap; farther, it shows a window around the target instead. */
const REVEAL_SPAN = 2 * CHILDREN_SHOWN;

/**
 * One item's element, its own updates, and (for a node entry) a window of
 * its subgraph items: [from, to), with "show earlier" / "show later"
 * buttons for the rest. While the window reaches the newest item it follows
 * new items, dropping the oldest past its size.
 */
class ItemView {
  el: HTMLElement | null = null;
  private applied = 0;
  private node: NodeEntry | null = null;
  private taskRow: TaskRow | null = null;
  group: EventsGroup | null = null;
  /** Views of the children [from, from + kids.length). */
  private kids: ItemView[] = [];
  private from = 0;
  /** Children the window last saw (the window follows when it reached them all). */
  private known = 0;
  private started = false;
  /** Children kept built at most (grows when the user asks for more). */
  private cap = CHILDREN_SHOWN;
  private earlier: HTMLButtonElement | null = null;
  private later: HTMLButtonElement | null = null;

  constructor(
    readonly item: Item,
    private readonly ctx: RenderContext,
  ) {
    this.sync();
  }

  private get to(): number {
    return this.from + this.kids.length;
  }

  /** Apply what was added to the item (and to the children shown) since the last call. */
  sync(): void {
    this.applyOps();
    if (this.node) this.syncChildren();
  }

  /** The view of child `index`, building it if it was not shown. */
  revealChild(index: number): ItemView | null {
    const n = this.item.children.length;
    if (!this.node || index < 0 || index >= n) return null;
    if (!this.started) this.syncChildren();
    if (index < this.from) {
      if (this.from - index <= REVEAL_SPAN) this.grow(index, this.from);
      else this.jump(index);
    } else if (index >= this.to) {
      if (index - this.to < REVEAL_SPAN) this.grow(this.to, Math.min(n, index + 1 + CHILDREN_SHOWN / 2));
      else this.jump(index);
    }
    return this.kids[index - this.from] ?? null;
  }

  private applyOps(): void {
    const ops = this.item.ops;
    if (this.applied >= ops.length) return;
    const streamed = new Set<StreamMessage>();
    const grouped = new Set<EventsGroupModel>();
    for (let i = this.applied; i < ops.length; i++) {
      const op = ops[i]!;
      try {
        this.apply(op, streamed, grouped);
      } catch (err) {
        console.error("lgwidget: cannot render event", op.ev.seq, err);
        this.setEl(failedEntry(op.ev));
      }
    }
    this.applied = ops.length;
  }

  private apply(op: Op, streamed: Set<StreamMessage>, grouped: Set<EventsGroupModel>): void {
    switch (op.op) {
      case "entry":
        this.setEl(renderSpec(op.ev, op.spec, this.ctx));
        return;
      case "mount":
        this.node = new NodeEntry(op.slot, op.ev);
        this.setEl(this.node.entry);
        return;
      case "stream": {
        const msg = op.u.msg;
        if (streamed.has(msg)) return;
        streamed.add(msg);
        // The message as it is now (later updates in this batch are included).
        this.mustNode().applyStream({ msg, created: op.u.created, text: { replace: true }, toolCallsChanged: true });
        return;
      }
      case "fill":
        this.mustNode().fill(op.ev, op.update, op.step);
        return;
      case "task":
        if (this.taskRow) {
          this.taskRow.update(op.task);
          return;
        }
        this.taskRow = new TaskRow(op.ev, op.task, op.kind);
        this.setEl(this.taskRow.entry);
        return;
      case "group":
        if (grouped.has(op.group)) return;
        grouped.add(op.group);
        if (this.group) {
          this.group.sync();
          return;
        }
        this.group = new EventsGroup(op.group.events);
        this.setEl(this.group.el);
        return;
    }
  }

  private mustNode(): NodeEntry {
    if (!this.node) throw new Error("no node entry to update");
    return this.node;
  }

  private setEl(el: HTMLElement): void {
    if (this.el === null) this.el = el;
    else this.el.append(el); // only a failed update lands here: shown inside the item
  }

  private list(): HTMLElement {
    return this.node!.childList(this.item.children[0]!.ns);
  }

  private build(start: number, end: number): { views: ItemView[]; frag: DocumentFragment } {
    const views: ItemView[] = [];
    const frag = document.createDocumentFragment();
    for (let i = start; i < end; i++) {
      const view = new ItemView(this.item.children[i]!, this.ctx);
      views.push(view);
      if (view.el) frag.append(view.el);
    }
    return { views, frag };
  }

  private syncChildren(): void {
    const children = this.item.children;
    const n = children.length;
    for (const kid of this.kids) kid.sync();
    if (n === 0) return;
    if (!this.started) {
      this.started = true;
      this.from = Math.max(0, n - this.cap);
      this.known = this.from;
    }
    const following = this.to >= this.known;
    this.known = n;
    if (following && this.to < n) {
      if (n - this.cap > this.to) {
        // So many new entries that all those shown fall out: build only the latest.
        this.clear();
        this.from = n - this.cap;
      }
      const { views, frag } = this.build(this.to, n);
      this.list().append(frag);
      this.kids.push(...views);
      if (this.kids.length > this.cap + CHILDREN_SHOWN) {
        const drop = this.kids.length - this.cap;
        for (const view of this.kids.splice(0, drop)) view.el?.remove();
        this.from += drop;
      }
    }
    this.updateButtons();
  }

  private clear(): void {
    for (const view of this.kids) view.el?.remove();
    this.kids = [];
  }

  /** Build children [start, end) next to the window (before or after it). */
  private grow(start: number, end: number): void {
    const list = this.list();
    if (end <= this.from) {
      const { views, frag } = this.build(start, this.from);
      const first = this.kids.find((k) => k.el)?.el ?? null;
      list.insertBefore(frag, first && first.parentNode === list ? first : (this.later ?? null));
      this.kids = views.concat(this.kids);
      this.from = start;
    } else {
      const { views, frag } = this.build(this.to, end);
      list.insertBefore(frag, this.later && this.later.parentNode === list ? this.later : null);
      this.kids.push(...views);
    }
    this.cap = Math.max(this.cap, this.kids.length);
    this.known = Math.max(this.known, this.to);
    this.updateButtons();
  }

  /** Show a window around child `index` instead of the current one. */
  private jump(index: number): void {
    this.clear();
    const n = this.item.children.length;
    this.from = Math.max(0, index - 5);
    const { views, frag } = this.build(this.from, Math.min(n, this.from + CHILDREN_SHOWN));
    const list = this.list();
    list.insertBefore(frag, this.later && this.later.parentNode === list ? this.later : null);
    this.kids = views;
    this.known = n;
    this.updateButtons();
  }

  private button(cls: string, onClick: () => void): HTMLButtonElement {
    const b = h("button", `lgw-more ${cls}`);
    b.type = "button";
    b.addEventListener("click", (e) => {
      e.stopPropagation();
      onClick();
    });
    return b;
  }

  private updateButtons(): void {
    const list = this.list();
    const before = this.from;
    const after = this.item.children.length - this.to;
    if (before > 0) {
      this.earlier ??= this.button("lgw-earlier", () => this.grow(Math.max(0, this.from - CHILDREN_SHOWN), this.from));
      this.earlier.textContent = `show ${Math.min(before, CHILDREN_SHOWN)} earlier entries (${formatCount(before)} not shown)`;
      this.earlier.dataset.lgwHidden = String(before);
      if (list.firstChild !== this.earlier) list.prepend(this.earlier);
    } else if (this.earlier) {
      this.earlier.remove();
      this.earlier = null;
    }
    if (after > 0) {
      this.later ??= this.button("lgw-later", () => this.grow(this.to, Math.min(this.item.children.length, this.to + CHILDREN_SHOWN)));
      this.later.textContent = `show ${Math.min(after, CHILDREN_SHOWN)} later entries (${formatCount(after)} not shown)`;
      this.later.dataset.lgwHidden = String(after);
      if (list.lastChild !== this.later) list.append(this.later);
    } else if (this.later) {
      this.later.remove();
      this.later = null;
    }
  }
}

/** A top-level row's view. */
export class RowView {
  private readonly view: ItemView;

  constructor(
    readonly row: Item,
    ctx: RenderContext,
  ) {
    this.view = new ItemView(row, ctx);
  }

  /** The row's element (null only if its first operation could not be shown at all). */
  get el(): HTMLElement | null {
    return this.view.el;
  }

  /** Apply the operations added since the last call. */
  sync(): void {
    this.view.sync();
  }

  /**
   * The element showing event `seq` (in `item`, an item of this row), built
   * if it was not: an earlier subgraph entry, an events group's row. Else
   * the row itself.
   */
  find(seq: number, item?: Item): HTMLElement | null {
    if (!item || item.row !== this.row.row) return this.el;
    const path: Item[] = [];
    for (let it: Item | null = item; it && it.parent; it = it.parent) path.push(it);
    let view: ItemView = this.view;
    for (let i = path.length - 1; i >= 0; i--) {
      const next = view.revealChild(path[i]!.index);
      if (!next) break;
      view = next;
    }
    return view.group?.reveal(seq) ?? view.el ?? this.el;
  }
}
