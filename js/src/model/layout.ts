// Where each event goes (DOM-free). The timeline is a tree: the root list,
// and inside the entry of a node ("slot") the entries of the subgraph it ran
// and the tokens it streamed. A slot opens with the first event that needs
// it (a token of the node, or the first event of its subgraph namespace) and
// closes when the node's own `updates` event lands and fills it.

import { nsKey, segmentNode, segmentTask } from "./ns";

export interface Slot {
  readonly uid: number;
  /** Node name ("" when unknown). */
  readonly node: string;
  /** Namespace of the container the slot is in. */
  readonly path: readonly string[];
  /** The ns segment "<node>:<task id>" of the subgraph run inside, once known. */
  segment: string | null;
  taskId: string | null;
  readonly firstSeq: number;
  /** Seq of the update that filled the slot; null while open. */
  updateSeq: number | null;
  /** Messages still streaming into it (kept by the caller). */
  streaming: number;
}

export interface ContainerResult {
  /** The slot whose entry holds the events of this namespace (null: the root list). */
  slot: Slot | null;
  /** Slots created on the way, outermost first. */
  created: Slot[];
}

export class Layout {
  private uid = 0;
  /** Full namespace key -> the slot whose entry holds that namespace. */
  private readonly bySegment = new Map<string, Slot>();
  /** Container key -> its open slots, oldest first. */
  private readonly open = new Map<string, Slot[]>();
  private readonly steps = new Map<string, number>();

  /** The slot that holds events of namespace `ns`, creating missing ones. */
  container(ns: readonly string[], seq: number): ContainerResult {
    let slot: Slot | null = null;
    const created: Slot[] = [];
    for (let i = 0; i < ns.length; i++) {
      const key = nsKey(ns.slice(0, i + 1));
      let found = this.bySegment.get(key);
      if (!found) {
        const path = ns.slice(0, i);
        const segment = ns[i]!;
        const node = segmentNode(segment);
        const task = segmentTask(segment);
        found = this.findOpen(path, node, task, true) ?? undefined;
        if (!found) {
          found = this.create(path, node, task, seq);
          created.push(found);
        }
        found.segment = segment;
        if (task !== null) found.taskId = task;
        this.bySegment.set(key, found);
      }
      slot = found;
    }
    return { slot, created };
  }

  /** The open slot of `node` (task `taskId`, when known) in container `path`, created when none. */
  nodeSlot(path: readonly string[], node: string, taskId: string | null, seq: number): { slot: Slot; created: boolean } {
    const found = this.findOpen(path, node, taskId, false);
    if (found) {
      if (found.taskId === null && taskId !== null) found.taskId = taskId;
      return { slot: found, created: false };
    }
    return { slot: this.create(path, node, taskId, seq), created: true };
  }

  /** `node`'s update in container `path` landed: its oldest open slot, now closed; null when none. */
  close(path: readonly string[], node: string, seq: number): Slot | null {
    const list = this.open.get(nsKey(path));
    if (!list) return null;
    const i = list.findIndex((s) => s.node === node);
    if (i < 0) return null;
    const [slot] = list.splice(i, 1);
    slot!.updateSeq = seq;
    return slot!;
  }

  /** The open slots of container `path`, oldest first. */
  openSlots(path: readonly string[]): readonly Slot[] {
    return this.open.get(nsKey(path)) ?? [];
  }

  /** The most recently opened slot of `path` with a message still streaming. */
  busy(path: readonly string[]): Slot | null {
    const list = this.open.get(nsKey(path)) ?? [];
    for (let i = list.length - 1; i >= 0; i--) if (list[i]!.streaming > 0) return list[i]!;
    return null;
  }

  /** Step number (1-based) for the next `updates` event of container `path`. */
  nextStep(path: readonly string[]): number {
    const key = nsKey(path);
    const n = (this.steps.get(key) ?? 0) + 1;
    this.steps.set(key, n);
    return n;
  }

  private findOpen(path: readonly string[], node: string, taskId: string | null, free: boolean): Slot | null {
    const list = this.open.get(nsKey(path));
    if (!list) return null;
    let fallback: Slot | null = null;
    for (let i = list.length - 1; i >= 0; i--) {
      const s = list[i]!;
      if (s.node !== node || (free && s.segment !== null)) continue;
      if (taskId !== null && s.taskId === taskId) return s;
      if (fallback === null && (taskId === null || s.taskId === null)) fallback = s;
    }
    return fallback;
  }

  private create(path: readonly string[], node: string, taskId: string | null, seq: number): Slot {
    const slot: Slot = {
      uid: ++this.uid,
      node,
      path: [...path],
      segment: null,
      taskId,
      firstSeq: seq,
      updateSeq: null,
      streaming: 0,
    };
    const key = nsKey(path);
    const list = this.open.get(key) ?? [];
    list.push(slot);
    this.open.set(key, list);
    return slot;
  }
}
