// Places each event in the timeline tree, incrementally. Derived state lives
// in the DOM-free models (src/model/*); this file only maps their answers to
// DOM: which list an entry goes to (the root, or the subgraph list inside a
// node's entry), which existing element an event updates in place (a
// streaming message, a task row, an events group, a node entry filled by its
// update), and which renderer builds a new entry.

import { h, isPlainObject } from "../dom";
import { Layout, type Slot } from "../model/layout";
import { nsKey } from "../model/ns";
import { checkpointInfo, TaskTracker, type TaskState } from "../model/tasks";
import { MessageStreams } from "../model/tokens";
import { INTERRUPT_KEY, ValuesTracker } from "../model/values";
import type { EventRecord } from "../types";
import type { RenderContext } from "./common";
import { renderCustom } from "./custom";
import { EventsGroup } from "./events";
import { renderGeneric } from "./generic";
import { NodeEntry } from "./node";
import { renderNote } from "./note";
import { renderCheckpoint, renderCompact, TaskRow } from "./tasks";
import { renderUpdates } from "./updates";
import { renderValues, type StatePanel } from "./values";

/** Builds a standalone entry for the modes without their own routing. */
export type EntryRenderer = (ev: EventRecord, ctx: RenderContext) => HTMLElement;

export class Router {
  private readonly layout = new Layout();
  private readonly streams = new MessageStreams();
  private readonly values = new ValuesTracker();
  private readonly tasks = new TaskTracker();
  private readonly debugTasks = new TaskTracker();
  private readonly slots = new Map<number, NodeEntry>();
  /** Message id -> the slot its stream shows in. */
  private readonly messageSlot = new Map<string, Slot>();
  private readonly taskRows = new WeakMap<TaskState, TaskRow>();
  /** Container key -> its latest events group. */
  private readonly groups = new Map<string, EventsGroup>();

  constructor(
    private readonly root: HTMLElement,
    private readonly ctx: RenderContext,
    private readonly state: StatePanel,
    private readonly renderEntry: EntryRenderer,
  ) {}

  /** Show one event. Never throws: a failure shows the event as a generic entry. */
  place(ev: EventRecord): void {
    try {
      this.route(ev);
    } catch (err) {
      console.error("lgwidget: cannot render event", ev.seq, err);
      let el: HTMLElement;
      try {
        el = renderGeneric(ev);
        el.classList.add("lgw-render-failed");
      } catch {
        el = h("div", "lgw-entry lgw-render-failed", `event ${ev.seq}: cannot be shown`);
        el.dataset.lgwEvent = String(ev.mode);
        el.dataset.lgwSeq = String(ev.seq);
      }
      this.root.append(el);
    }
  }

  private route(ev: EventRecord): void {
    if (ev.raw) {
      this.add(ev, renderGeneric(ev));
      return;
    }
    switch (ev.mode) {
      case "messages":
      case "messages/partial":
      case "messages/complete":
      case "messages/metadata":
        return this.tokens(ev);
      case "updates":
        return this.updates(ev);
      case "values":
        return this.valuesEvent(ev);
      case "custom":
        return this.add(ev, renderCustom(ev, { ...this.ctx, node: this.emitter(ev.ns) }));
      case "tasks":
        return this.task(ev, this.tasks, ev.data, "tasks", {});
      case "debug":
        return this.debug(ev);
      case "checkpoints":
        return this.checkpoint(ev, ev.data, "checkpoints");
      case "events":
        return this.eventsEvent(ev);
      case "note":
        return this.add(ev, renderNote(ev));
      default:
        return this.add(ev, this.renderEntry(ev, this.ctx));
    }
  }

  // ---- containers -------------------------------------------------------

  /** The list that holds events of namespace `ns`, creating node entries on the way. */
  private listFor(ns: readonly string[], ev: EventRecord): HTMLElement {
    if (ns.length === 0) return this.root;
    const { slot, created } = this.layout.container(ns, ev.seq);
    for (const s of created) this.mount(s, ev);
    return this.view(slot!).childList(ns);
  }

  private mount(slot: Slot, ev: EventRecord): NodeEntry {
    const view = new NodeEntry(slot, ev);
    this.slots.set(slot.uid, view);
    this.listFor(slot.path, ev).append(view.entry);
    return view;
  }

  private view(slot: Slot): NodeEntry {
    const view = this.slots.get(slot.uid);
    if (!view) throw new Error(`no entry for slot ${slot.uid}`);
    return view;
  }

  private add(ev: EventRecord, el: HTMLElement): void {
    this.listFor(ev.ns, ev).append(el);
  }

  // ---- modes ------------------------------------------------------------

  private tokens(ev: EventRecord): void {
    const result = this.streams.ingest(ev);
    if (result.kind === "absorbed") return;
    if (result.kind === "unknown") {
      this.add(ev, renderGeneric(ev));
      return;
    }
    for (const u of result.updates) {
      const msg = u.msg;
      let slot = u.created ? undefined : this.messageSlot.get(msg.id);
      if (!slot) {
        this.listFor(msg.ns, ev);
        // A message of no known node: an entry of its own, not the previous one's.
        if (msg.node === null) this.layout.close(msg.ns, "", ev.seq);
        const found = this.layout.nodeSlot(msg.ns, msg.node ?? "", msg.task, ev.seq);
        slot = found.slot;
        if (found.created) this.mount(slot, ev);
        this.messageSlot.set(msg.id, slot);
      }
      const view = this.view(slot);
      view.applyStream(u);
      slot.streaming = view.streaming;
    }
  }

  private updates(ev: EventRecord): void {
    const path = ev.ns;
    const list = this.listFor(path, ev);
    const step = this.layout.nextStep(path);
    const data = ev.data;
    const ctx: RenderContext = { ...this.ctx, step };
    if (!isPlainObject(data) || INTERRUPT_KEY in data) {
      list.append(renderUpdates(ev, ctx));
      return;
    }
    const keys = Object.keys(data);
    const rest: Record<string, unknown> = {};
    let left = 0;
    for (const node of keys) {
      const slot = this.layout.close(path, node, ev.seq);
      if (slot) {
        this.view(slot).fill(ev, data[node], step);
        slot.streaming = 0;
      } else {
        rest[node] = data[node];
        left++;
      }
    }
    if (left === keys.length) list.append(renderUpdates(ev, ctx));
    else if (left > 0) list.append(renderUpdates({ ...ev, data: rest }, ctx));
  }

  private valuesEvent(ev: EventRecord): void {
    const diff = this.values.ingest(ev);
    this.add(ev, renderValues(ev, diff));
    if (ev.ns.length === 0) this.state.update(this.values.current(), this.values.count(), ev.t);
  }

  /** The node a custom event most likely comes from: a running task, else a node streaming tokens. */
  private emitter(ns: readonly string[]): string | null {
    const task = this.tasks.current(ns) ?? this.debugTasks.current(ns);
    if (task) return task.name;
    const busy = this.layout.busy(ns);
    return busy && busy.node ? busy.node : null;
  }

  private task(ev: EventRecord, tracker: TaskTracker, payload: unknown, kind: string, extra: { timestamp?: unknown; step?: unknown }): void {
    const change = tracker.ingest(ev, payload, extra);
    if (!change) {
      this.add(ev, renderCompact(ev, kind, kind));
      return;
    }
    const row = this.taskRows.get(change.task);
    if (row) {
      row.update(change.task);
      return;
    }
    const fresh = new TaskRow(ev, change.task, kind);
    this.taskRows.set(change.task, fresh);
    this.add(ev, fresh.entry);
  }

  private debug(ev: EventRecord): void {
    const data = ev.data;
    if (!isPlainObject(data)) {
      this.add(ev, renderCompact(ev, "debug", "debug"));
      return;
    }
    const type = typeof data.type === "string" ? data.type : "";
    if (type === "checkpoint") return this.checkpoint(ev, data.payload, "debug");
    if (type === "task" || type === "task_result") {
      return this.task(ev, this.debugTasks, data.payload, "debug", { timestamp: data.timestamp, step: data.step });
    }
    this.add(ev, renderCompact(ev, "debug", type || "debug"));
  }

  private checkpoint(ev: EventRecord, payload: unknown, kind: string): void {
    const info = checkpointInfo(payload);
    this.add(ev, info ? renderCheckpoint(ev, info, kind, payload) : renderCompact(ev, kind, kind));
  }

  private eventsEvent(ev: EventRecord): void {
    const list = this.listFor(ev.ns, ev);
    const key = nsKey(ev.ns);
    const group = this.groups.get(key);
    if (group && list.lastElementChild === group.el) {
      group.add(ev);
      return;
    }
    const fresh = new EventsGroup(ev);
    this.groups.set(key, fresh);
    list.append(fresh.el);
  }
}
