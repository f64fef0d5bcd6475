// Builds one top-level row of the timeline from its items' operations (see
// model/rows.ts), and keeps it up to date as operations are added: a
// streaming message's text, a task row's result, an events group's count, a
// node entry filled by its update, new entries in a node entry's subgraph
// list. Built when the row scrolls into view, dropped when it leaves. A
// subgraph list shows its latest entries (CHILDREN_SHOWN, trimmed as more
// arrive) and builds earlier ones on demand, so one node entry that ran a
// long subgraph stays small in the DOM too.

import { diffState, stripInterrupt } from "../model/values";
import { formatCount } from "../dom";
import type { EntrySpec, EventsGroupModel, Item, Op } from "../model/rows";
import type { StreamMessage } from "../model/tokens";
import { Pager } from "../paging";
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
 * its subgraph items, with "show earlier" / "show later" buttons for the
 * rest. While the window reaches the newest item it follows new items,
 * dropping the oldest past its size.
 */
class ItemView {
  el: HTMLElement | null = null;
  private applied = 0;
  private node: NodeEntry | null = null;
  private taskRow: TaskRow | null = null;
  group: EventsGroup | null = null;
  /** A node entry's window of children built. */
  private kids: Pager<ItemView> | null = null;
  /** Children the window last saw (the window follows when it reached them all). */
  private known = 0;
  private started = false;
  /** Children kept built at most (grows when the user asks for more). */
  private cap = CHILDREN_SHOWN;

  constructor(
    readonly item: Item,
    private readonly ctx: RenderContext,
  ) {
    this.sync();
  }

  /** Apply what was added to the item (and to the children shown) since the last call. */
  sync(): void {
    this.applyOps();
    if (this.kids) this.syncChildren(this.kids);
  }

  /** The view of child `index`, building it if it was not shown. */
  revealChild(index: number): ItemView | null {
    const kids = this.kids;
    const n = this.item.children.length;
    if (!kids || index < 0 || index >= n) return null;
    if (!this.started) this.syncChildren(kids);
    if (index < kids.from) {
      if (kids.from - index <= REVEAL_SPAN) this.grow(kids, index, kids.from);
      else this.jump(kids, index);
    } else if (index >= kids.to) {
      if (index - kids.to < REVEAL_SPAN) this.grow(kids, kids.to, Math.min(n, index + 1 + CHILDREN_SHOWN / 2));
      else this.jump(kids, index);
    }
    return kids.items[index - kids.from] ?? null;
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
        this.kids = this.childWindow(this.node);
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

  /** The pager of node entry `node`'s subgraph list. */
  private childWindow(node: NodeEntry): Pager<ItemView> {
    const children = this.item.children;
    const kids: Pager<ItemView> = new Pager({
      list: () => node.childList(children[0]!.ns),
      total: () => children.length,
      build: (i) => new ItemView(children[i]!, this.ctx),
      el: (view) => view.el,
      page: CHILDREN_SHOWN,
      stopClicks: true,
      earlier: {
        cls: "lgw-earlier",
        text: (n, before) => `show ${n} earlier entries (${formatCount(before)} not shown)`,
        click: () => this.grow(kids, Math.max(0, kids.from - CHILDREN_SHOWN), kids.from),
      },
      later: {
        cls: "lgw-later",
        text: (n, after) => `show ${n} later entries (${formatCount(after)} not shown)`,
        click: () => this.grow(kids, kids.to, Math.min(children.length, kids.to + CHILDREN_SHOWN)),
      },
    });
    return kids;
  }

  private syncChildren(kids: Pager<ItemView>): void {
    const n = this.item.children.length;
    for (const kid of kids.items) kid.sync();
    if (n === 0) return;
    if (!this.started) {
      this.started = true;
      kids.reset(Math.max(0, n - this.cap));
      this.known = kids.from;
    }
    const following = kids.to >= this.known;
    this.known = n;
    if (following && kids.to < n) {
      // So many new entries that all those shown fall out: build only the latest.
      if (n - this.cap > kids.to) kids.reset(n - this.cap);
      kids.append(n);
      if (kids.items.length > this.cap + CHILDREN_SHOWN) kids.dropFirst(kids.items.length - this.cap);
    }
    kids.update();
  }

  /** Build children [start, end) next to the window (before or after it). */
  private grow(kids: Pager<ItemView>, start: number, end: number): void {
    if (end <= kids.from) kids.prepend(start);
    else kids.append(end);
    this.cap = Math.max(this.cap, kids.items.length);
    this.known = Math.max(this.known, kids.to);
    kids.update();
  }

  /** Show a window around child `index` instead of the current one. */
  private jump(kids: Pager<ItemView>, index: number): void {
    kids.jump(index);
    kids.append(kids.from + CHILDREN_SHOWN);
    this.known = this.item.children.length;
    kids.update();
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
