// Where each event goes, decided once per event and without the DOM. The
// timeline is a tree of items: the top-level rows (what the virtualized list
// scrolls over) and, inside a node's entry ("slot"), the items of the
// subgraph it ran. Each item holds the ordered operations that build and then
// update its element: a standalone entry; a node entry and what lands in it
// (streamed messages, the node's update); a task row and its result; an
// events group and its later events. Rendering an item replays its
// operations (render/row.ts), so a row can be dropped from the DOM when it
// scrolls away and rebuilt when it comes back, and a node entry with
// thousands of subgraph entries builds only the latest of them.
//
// Ingesting an event is O(1) amortized (plus the size of its own data): state
// diffs of `values` events are computed when the entry is shown, from the
// state before it, which is kept here.

import type { EventRecord } from "../types";
import { Layout, type Slot } from "./layout";
import { MessageIndex } from "./message-index";
import { checkpointInfo, TaskTracker, type CheckpointInfo, type TaskState } from "./tasks";
import { MessageStreams, sameMessageId, type StreamMessage, type StreamUpdate } from "./tokens";
import { INTERRUPT_KEY, ValuesTracker } from "./values";
import { isPlainObject as isObj } from "../json";

/** How a standalone entry is built. */
export type EntrySpec =
  /** An `updates` entry; `data`: the part of the update no open node entry took. */
  | { type: "updates"; step: number; data?: Record<string, unknown> }
  | { type: "custom"; node: string | null }
  /** `prev`: the namespace's state before this event (undefined: none). */
  | { type: "values"; prev: unknown }
  | { type: "generic"; failed?: boolean }
  | { type: "note" }
  | { type: "compact"; kind: string; label: string }
  | { type: "checkpoint"; info: CheckpointInfo; kind: string; payload: unknown }
  /** The renderer of the event's mode (metadata, error, unknown names). */
  | { type: "other" };

/** Consecutive `events` events of one container, shown as one group. */
export interface EventsGroupModel {
  readonly id: number;
  readonly events: EventRecord[];
}

/**
 * One step of building an item. The first operation of an item creates its
 * element; `box` is the node entry whose subgraph list receives it, null for
 * the root (then the element is a row).
 */
export type Op =
  | { op: "entry"; ev: EventRecord; box: Slot | null; spec: EntrySpec }
  | { op: "mount"; ev: EventRecord; box: Slot | null; slot: Slot }
  | { op: "stream"; ev: EventRecord; slot: Slot; u: StreamUpdate }
  | { op: "fill"; ev: EventRecord; slot: Slot; update: unknown; step: number }
  | { op: "task"; ev: EventRecord; box: Slot | null; task: TaskState; kind: string }
  | { op: "group"; ev: EventRecord; box: Slot | null; group: EventsGroupModel };

export interface Item {
  /** The item whose subgraph list holds this one (null: a top-level row). */
  readonly parent: Item | null;
  /** Position among the parent's children (or among the rows). */
  readonly index: number;
  /** Index of the top-level row it is in. */
  readonly row: number;
  /** Seq of the event that created it. */
  readonly seq: number;
  /** Namespace of the container it is in. */
  readonly ns: readonly string[];
  readonly ops: Op[];
  /** A node entry's subgraph items, in order. */
  readonly children: Item[];
}

/** A top-level row. */
export type Row = Item;

/** The latest state of the root namespace (for the state panel). */
export interface RootState {
  state: unknown;
  count: number;
  t: number;
}

/** Messages streaming into one node entry: how many are still live (for custom event labels). */
interface SlotStreams {
  live: Map<string, StreamMessage>;
  settled: string[];
}

/** The children of every item that is not a node entry: none, ever. */
const NO_CHILDREN: Item[] = Object.freeze([]) as unknown as Item[];

export class TimelineModel {
  readonly rows: Row[] = [];
  /** Tool call / result positions and token usage of the run's messages. */
  readonly messages = new MessageIndex();
  /** seq -> the item its first operation went to (none for e.g. `messages/metadata`). */
  private readonly itemOfSeq: Array<Item | undefined> = [];
  private routed = 0;
  private readonly layout = new Layout();
  private readonly streams = new MessageStreams();
  private readonly values = new ValuesTracker();
  private readonly tasks = new TaskTracker();
  private readonly debugTasks = new TaskTracker();
  private readonly slotItem = new Map<number, Item>();
  private readonly slotStreams = new Map<number, SlotStreams>();
  private readonly messageSlot = new Map<string, Slot>();
  private readonly taskItem = new Map<TaskState, Item>();
  /** Container (slot uid, 0: root) -> its latest events group. */
  private readonly groups = new Map<number, EventsGroupModel>();
  private readonly groupItem = new Map<EventsGroupModel, Item>();
  /** Container -> the last thing appended to it (a group, or null for anything else). */
  private readonly lastChild = new Map<number, EventsGroupModel | null>();
  private groupId = 0;
  private readonly dirty = new Set<number>();
  private root: RootState | null = null;
  private rootVersion = 0;

  /** Events ingested so far (seqs 0 .. routed-1). */
  get length(): number {
    return this.routed;
  }

  /** The root state and a counter that changes with it. */
  rootState(): { state: RootState | null; version: number } {
    return { state: this.root, version: this.rootVersion };
  }

  /** Row holding event `seq` (-1: none, or not ingested yet). */
  rowOf(seq: number): number {
    return this.itemOfSeq[seq]?.row ?? -1;
  }

  /** The item showing event `seq` (undefined: none, or not ingested yet). */
  itemOf(seq: number): Item | undefined {
    return this.itemOfSeq[seq];
  }

  /**
   * The item to show for event `seq`: its own, else the nearest following
   * event's, else the nearest before (events such as `messages/metadata`
   * have none).
   */
  nearestItem(seq: number): Item | undefined {
    if (this.routed === 0 || this.rows.length === 0) return undefined;
    const s = Math.max(0, Math.min(seq, this.routed - 1));
    for (let i = s; i < this.routed; i++) if (this.itemOfSeq[i]) return this.itemOfSeq[i];
    for (let i = s - 1; i >= 0; i--) if (this.itemOfSeq[i]) return this.itemOfSeq[i];
    return undefined;
  }

  /** Rows that got operations since the last call (new rows included). */
  takeDirty(): Set<number> {
    const out = new Set(this.dirty);
    this.dirty.clear();
    return out;
  }

  /** Place event `ev` (its seq must be the next one). Never throws. */
  ingest(ev: EventRecord): void {
    const seq = ev.seq;
    this.routed = Math.max(this.routed, seq + 1);
    try {
      this.messages.ingest(ev);
      this.route(ev);
    } catch (err) {
      console.error("lgwidget: cannot place event", seq, err);
      this.child({ op: "entry", ev, box: null, spec: { type: "generic", failed: true } }, null, []);
    }
  }

  // ---- rows ---------------------------------------------------------------

  /** An operation that updates `item` (its element exists). */
  private push(item: Item, op: Op): void {
    item.ops.push(op);
    this.noteOp(item, op);
  }

  private noteOp(item: Item, op: Op): void {
    this.dirty.add(item.row);
    const seq = op.ev.seq;
    if (this.itemOfSeq[seq] === undefined) this.itemOfSeq[seq] = item;
  }

  /** Append a child (entry, node entry, task row, group) to container `box`: at the root, a new row. */
  private child(op: Op, box: Slot | null, ns: readonly string[], marker: EventsGroupModel | null = null): Item {
    const parent = box === null ? null : this.slotItem.get(box.uid)!;
    const siblings = parent ? parent.children : this.rows;
    const item: Item = {
      parent,
      index: siblings.length,
      row: parent ? parent.row : this.rows.length,
      seq: op.ev.seq,
      ns,
      // Sized as they are: most items never get a second operation, and
      // only node entries (mount) hold children.
      ops: [op],
      children: op.op === "mount" ? [] : NO_CHILDREN,
    };
    siblings.push(item);
    this.lastChild.set(box === null ? 0 : box.uid, marker);
    this.noteOp(item, op);
    return item;
  }

  /** The container of namespace `ns` (null: the root), opening node entries on the way. */
  private box(ns: readonly string[], ev: EventRecord): Slot | null {
    if (ns.length === 0) return null;
    const { slot, created } = this.layout.container(ns, ev.seq);
    for (const s of created) this.mount(s, ev);
    return slot;
  }

  private mount(slot: Slot, ev: EventRecord): void {
    const box = this.box(slot.path, ev);
    this.slotItem.set(slot.uid, this.child({ op: "mount", ev, box, slot }, box, slot.path));
  }

  private add(ev: EventRecord, spec: EntrySpec): void {
    const box = this.box(ev.ns, ev);
    this.child({ op: "entry", ev, box, spec }, box, ev.ns);
  }

  // ---- modes --------------------------------------------------------------

  private route(ev: EventRecord): void {
    if (ev.raw) return this.add(ev, { type: "generic" });
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
        return this.add(ev, { type: "custom", node: this.emitter(ev.ns) });
      case "tasks":
        return this.task(ev, this.tasks, ev.data, "tasks", {});
      case "debug":
        return this.debug(ev);
      case "checkpoints":
        return this.checkpoint(ev, ev.data, "checkpoints");
      case "events":
        return this.eventsEvent(ev);
      case "note":
        return this.add(ev, { type: "note" });
      default:
        return this.add(ev, { type: "other" });
    }
  }

  private tokens(ev: EventRecord): void {
    const result = this.streams.ingest(ev);
    if (result.kind === "absorbed") return;
    if (result.kind === "unknown") return this.add(ev, { type: "generic" });
    for (const u of result.updates) {
      const msg = u.msg;
      let slot = u.created ? undefined : this.messageSlot.get(msg.id);
      if (!slot) {
        this.box(msg.ns, ev);
        // A message of no known node: an entry of its own, not the previous one's.
        if (msg.node === null) this.layout.close(msg.ns, "", ev.seq);
        const found = this.layout.nodeSlot(msg.ns, msg.node ?? "", msg.task, ev.seq);
        slot = found.slot;
        if (found.created) this.mount(slot, ev);
        this.messageSlot.set(msg.id, slot);
      }
      this.push(this.slotItem.get(slot.uid)!, { op: "stream", ev, slot, u });
      slot.streaming = this.streamed(slot, msg);
    }
  }

  /** Count the messages still streaming into `slot` after `msg` changed (as its entry shows them). */
  private streamed(slot: Slot, msg: StreamMessage): number {
    let s = this.slotStreams.get(slot.uid);
    if (!s) this.slotStreams.set(slot.uid, (s = { live: new Map(), settled: [] }));
    if (!s.settled.some((id) => sameMessageId(msg.id, id))) s.live.set(msg.id, msg);
    let n = 0;
    for (const m of s.live.values()) if (!m.done && !m.whole) n++;
    return n;
  }

  private updates(ev: EventRecord): void {
    const path = ev.ns;
    const box = this.box(path, ev);
    const step = this.layout.nextStep(path);
    const data = ev.data;
    if (!isObj(data) || INTERRUPT_KEY in data) {
      this.child({ op: "entry", ev, box, spec: { type: "updates", step } }, box, path);
      return;
    }
    const keys = Object.keys(data);
    const rest: Record<string, unknown> = {};
    let left = 0;
    for (const node of keys) {
      const slot = this.layout.close(path, node, ev.seq);
      if (slot) {
        this.push(this.slotItem.get(slot.uid)!, { op: "fill", ev, slot, update: data[node], step });
        this.settle(slot, data[node]);
      } else {
        rest[node] = data[node];
        left++;
      }
    }
    if (left === keys.length) this.child({ op: "entry", ev, box, spec: { type: "updates", step } }, box, path);
    else if (left > 0) this.child({ op: "entry", ev, box, spec: { type: "updates", step, data: rest } }, box, path);
  }

  /** The node's update filled its entry: its streamed messages are final. */
  private settle(slot: Slot, update: unknown): void {
    slot.streaming = 0;
    let s = this.slotStreams.get(slot.uid);
    if (!s) this.slotStreams.set(slot.uid, (s = { live: new Map(), settled: [] }));
    s.live.clear();
    if (isObj(update) && Array.isArray(update.messages)) {
      for (const m of update.messages) if (isObj(m) && typeof m.id === "string" && m.id) s.settled.push(m.id);
    }
  }

  private valuesEvent(ev: EventRecord): void {
    const box = this.box(ev.ns, ev);
    const prev = this.values.advance(ev);
    this.child({ op: "entry", ev, box, spec: { type: "values", prev } }, box, ev.ns);
    if (ev.ns.length === 0) {
      this.root = { state: this.values.current(), count: this.values.count(), t: ev.t };
      this.rootVersion++;
    }
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
    if (!change) return this.add(ev, { type: "compact", kind, label: kind });
    const item = this.taskItem.get(change.task);
    if (item !== undefined) {
      this.push(item, { op: "task", ev, box: null, task: change.task, kind });
      return;
    }
    const box = this.box(ev.ns, ev);
    this.taskItem.set(change.task, this.child({ op: "task", ev, box, task: change.task, kind }, box, ev.ns));
  }

  private debug(ev: EventRecord): void {
    const data = ev.data;
    if (!isObj(data)) return this.add(ev, { type: "compact", kind: "debug", label: "debug" });
    const type = typeof data.type === "string" ? data.type : "";
    if (type === "checkpoint") return this.checkpoint(ev, data.payload, "debug");
    if (type === "task" || type === "task_result") {
      return this.task(ev, this.debugTasks, data.payload, "debug", { timestamp: data.timestamp, step: data.step });
    }
    this.add(ev, { type: "compact", kind: "debug", label: type || "debug" });
  }

  private checkpoint(ev: EventRecord, payload: unknown, kind: string): void {
    const info = checkpointInfo(payload);
    this.add(ev, info ? { type: "checkpoint", info, kind, payload } : { type: "compact", kind, label: kind });
  }

  private eventsEvent(ev: EventRecord): void {
    const box = this.box(ev.ns, ev);
    const key = box === null ? 0 : box.uid;
    const group = this.groups.get(key);
    if (group && this.lastChild.get(key) === group) {
      group.events.push(ev);
      this.push(this.groupItem.get(group)!, { op: "group", ev, box, group });
      return;
    }
    const fresh: EventsGroupModel = { id: ++this.groupId, events: [ev] };
    this.groups.set(key, fresh);
    this.groupItem.set(fresh, this.child({ op: "group", ev, box, group: fresh }, box, ev.ns, fresh));
  }
}
