// The run's graph (DOM-free): the `graph` trait as layout input, the visits
// the run's events report, and, from both, what the panel marks: the running
// node, visited nodes with their steps, the path taken, interrupts.
//
// Subgraphs: with xray the server lists a subgraph's nodes as "parent:child"
// ids in place of the parent node. Each such prefix becomes a cluster (drawn
// as a box around its nodes) whose id is the parent node's name, so events
// that only name the parent (a run without stream_subgraphs) land on it.

import type { EventRecord } from "../types";
import { nsKey, segmentNode } from "./ns";
import { isTaskStart } from "./tasks";
import { INTERRUPT_KEY } from "./values";
import { isPlainObject as isObj } from "../json";

export interface GraphNode {
  id: string;
  /** The node's own name (the last segment of a subgraph id). */
  label: string;
  kind: "start" | "end" | "node";
  /** The innermost cluster holding it, or null. */
  cluster: string | null;
}

export interface GraphCluster {
  id: string;
  label: string;
  cluster: string | null;
}

export interface GraphEdge {
  source: string;
  target: string;
  conditional: boolean;
  /** The branch's name when it differs from the target's. */
  label: string | null;
}

export interface GraphSpec {
  nodes: GraphNode[];
  clusters: GraphCluster[];
  edges: GraphEdge[];
}

/** What the `graph` trait holds: nothing yet, why there is no graph, or the graph. */
export type GraphTrait = { kind: "none" } | { kind: "error"; reason: string } | { kind: "graph"; graph: GraphSpec };

const START = "__start__";
const END = "__end__";

/** "research:read" -> "research"; null for a top-level id. */
function parentOf(id: string): string | null {
  const colon = id.lastIndexOf(":");
  return colon > 0 ? id.slice(0, colon) : null;
}

function lastSegment(id: string): string {
  return id.slice(id.lastIndexOf(":") + 1);
}

/** The `graph` trait (`{nodes, edges}` from lgwidget.graph, or `{error}`) as a graph. */
export function readGraph(value: unknown): GraphTrait {
  if (!isObj(value) || Object.keys(value).length === 0) return { kind: "none" };
  if ("error" in value) return { kind: "error", reason: String(value.error) };
  if (!Array.isArray(value.nodes) || !Array.isArray(value.edges)) {
    return { kind: "error", reason: "the graph has no nodes and edges lists" };
  }
  const nodes: GraphNode[] = [];
  const ids = new Set<string>();
  for (const n of value.nodes) {
    if (!isObj(n) || (typeof n.id !== "string" && typeof n.id !== "number")) continue;
    const id = String(n.id);
    if (ids.has(id)) continue;
    ids.add(id);
    const kind = id === START ? "start" : id === END ? "end" : "node";
    nodes.push({ id, label: kind === "node" ? lastSegment(id) : kind, kind, cluster: kind === "node" ? parentOf(id) : null });
  }
  const clusters = new Map<string, GraphCluster>();
  for (const node of nodes) {
    for (let c = node.cluster; c !== null && !clusters.has(c); c = parentOf(c)) {
      clusters.set(c, { id: c, label: lastSegment(c), cluster: parentOf(c) });
    }
  }
  const edges: GraphEdge[] = [];
  for (const e of value.edges) {
    if (!isObj(e)) continue;
    const source = String(e.source);
    const target = String(e.target);
    if (!ids.has(source) || !ids.has(target)) continue;
    edges.push({ source, target, conditional: e.conditional === true, label: typeof e.label === "string" && e.label ? e.label : null });
  }
  return { kind: "graph", graph: { nodes, clusters: [...clusters.values()], edges } };
}

// ---- layout input ------------------------------------------------------------

/** Approximate text metrics (px) for sizing boxes without measuring the DOM. */
export const CHAR_WIDTH = 7.2;
export const NODE_HEIGHT = 30;
const NODE_PADDING = 24;
const MIN_NODE_WIDTH = 56;
const TERMINAL_WIDTH = 52;
const TERMINAL_HEIGHT = 24;
const EDGE_LABEL_HEIGHT = 14;

export interface LayoutNode {
  id: string;
  width: number;
  height: number;
  /** The cluster it sits in (a compound parent for the layout). */
  parent: string | null;
}

export interface LayoutEdge {
  /** Index into the graph's edges: the layout's edge name. */
  index: number;
  source: string;
  target: string;
  /** Room for the label (branch name and steps) at the edge's middle. */
  labelWidth: number;
  labelHeight: number;
}

export interface LayoutInput {
  nodes: LayoutNode[];
  clusters: Array<{ id: string; parent: string | null }>;
  edges: LayoutEdge[];
}

/** The boxes and edges a layout engine (dagre) places, sized from the labels. */
export function layoutInput(graph: GraphSpec): LayoutInput {
  return {
    nodes: graph.nodes.map((n) =>
      n.kind === "node"
        ? { id: n.id, width: Math.max(MIN_NODE_WIDTH, Math.ceil(n.label.length * CHAR_WIDTH) + NODE_PADDING), height: NODE_HEIGHT, parent: n.cluster }
        : { id: n.id, width: TERMINAL_WIDTH, height: TERMINAL_HEIGHT, parent: null },
    ),
    clusters: graph.clusters.map((c) => ({ id: c.id, parent: c.cluster })),
    edges: graph.edges.map((e, index) => ({
      index,
      source: e.source,
      target: e.target,
      // Steps are shown beside the branch name: leave room for a few.
      labelWidth: Math.ceil(((e.label?.length ?? 0) + 6) * CHAR_WIDTH),
      labelHeight: EDGE_LABEL_HEIGHT,
    })),
  };
}

// ---- the run's visits ----------------------------------------------------------

export type VisitStatus = "running" | "done" | "error" | "interrupted";

export interface Visit {
  /** Node path: the namespace's nodes and the node, joined with ":" ("research:read"). */
  path: string;
  /** Namespace key of the events that reported it. */
  ns: string;
  status: VisitStatus;
  /** Its `updates` event arrived. */
  updated: boolean;
  /** Seq of the event that first reported it. */
  seq: number;
}

function nodePath(ns: readonly string[], name: string): string {
  return [...ns.map(segmentNode), name].join(":");
}

/**
 * The node runs the events report, in the order they were first seen. A run
 * is known by its task (`tasks`, `debug` and the `langgraph_checkpoint_ns` of
 * message metadata name it), so a node seen by several modes counts once;
 * an `updates` event names only the node and completes its earliest run still
 * waiting for one.
 */
export class GraphRun {
  readonly visits: Visit[] = [];
  /** Seqs of `__interrupt__` updates no running task could be blamed for. */
  readonly unplacedInterrupts: number[] = [];
  private readonly byTask = new Map<string, Visit>();
  // Indexes, so that each event costs O(1) however long the run (a scan of
  // `visits` per event is quadratic at 50,000 events).
  /** Visits whose `updates` event has not arrived, per path, oldest first. */
  private readonly waiting = new Map<string, Visit[]>();
  private readonly running = new Set<Visit>();
  private readonly runningPaths = new Map<string, number>();

  ingest(ev: EventRecord): void {
    if (ev.raw) return;
    const data = ev.data;
    switch (ev.mode) {
      case "updates":
        if (isObj(data)) this.updates(ev, data);
        return;
      case "tasks":
        this.task(ev, data);
        return;
      case "debug":
        if (isObj(data) && (data.type === "task" || data.type === "task_result")) this.task(ev, data.payload);
        return;
      case "messages":
        if (Array.isArray(data) && data.length === 2) this.message(ev, data[1]);
        return;
      case "messages/metadata":
        if (isObj(data)) for (const item of Object.values(data)) if (isObj(item)) this.message(ev, item.metadata);
        return;
    }
  }

  /** A new visit; `waiting`: its `updates` event is still to come. */
  private open(ev: EventRecord, path: string, task: string | null, status: VisitStatus, waiting = true): Visit {
    const visit: Visit = { path, ns: nsKey(ev.ns), status: "done", updated: false, seq: ev.seq };
    this.visits.push(visit);
    if (task !== null) this.byTask.set(task, visit);
    if (waiting) {
      const queue = this.waiting.get(path);
      if (queue) queue.push(visit);
      else this.waiting.set(path, [visit]);
    }
    this.setStatus(visit, status);
    return visit;
  }

  private setStatus(visit: Visit, status: VisitStatus): void {
    if ((visit.status === "running") !== (status === "running")) {
      const n = (this.runningPaths.get(visit.path) ?? 0) + (status === "running" ? 1 : -1);
      if (n > 0) this.runningPaths.set(visit.path, n);
      else this.runningPaths.delete(visit.path);
      if (status === "running") this.running.add(visit);
      else this.running.delete(visit);
    }
    visit.status = status;
  }

  /** The earliest visit of `path` still waiting for its update (running or done, not failed). */
  private takeWaiting(path: string): Visit | undefined {
    const queue = this.waiting.get(path);
    if (!queue) return undefined;
    const i = queue.findIndex((v) => v.status === "running" || v.status === "done");
    if (i < 0) return undefined;
    const [visit] = queue.splice(i, 1);
    if (queue.length === 0) this.waiting.delete(path);
    return visit;
  }

  private updates(ev: EventRecord, data: Record<string, unknown>): void {
    for (const key of Object.keys(data)) {
      if (key === INTERRUPT_KEY) {
        this.interrupt(ev);
        continue;
      }
      if (key.startsWith("__")) continue;
      const path = nodePath(ev.ns, key);
      const visit = this.takeWaiting(path) ?? this.open(ev, path, null, "done", false);
      visit.updated = true;
      this.setStatus(visit, "done");
    }
  }

  /** An interrupt lands on the tasks of its namespace that are still running. */
  private interrupt(ev: EventRecord): void {
    const ns = nsKey(ev.ns);
    const running = [...this.running].filter((v) => v.ns === ns);
    for (const v of running) this.setStatus(v, "interrupted");
    if (running.length === 0) this.unplacedInterrupts.push(ev.seq);
  }

  private task(ev: EventRecord, payload: unknown): void {
    if (!isObj(payload) || typeof payload.id !== "string" || typeof payload.name !== "string") return;
    const key = [...ev.ns, `${payload.name}:${payload.id}`].join("|");
    const visit = this.byTask.get(key) ?? this.open(ev, nodePath(ev.ns, payload.name), key, "running");
    if (isTaskStart(payload)) return;
    const error = payload.error;
    this.setStatus(
      visit,
      error !== null && error !== undefined && error !== ""
        ? "error"
        : Array.isArray(payload.interrupts) && payload.interrupts.length > 0
          ? "interrupted"
          : "done",
    );
  }

  /** Message metadata says which task is streaming: it runs until its result. */
  private message(ev: EventRecord, meta: unknown): void {
    if (!isObj(meta) || typeof meta.langgraph_node !== "string") return;
    const cpNs = typeof meta.langgraph_checkpoint_ns === "string" ? meta.langgraph_checkpoint_ns : "";
    if (cpNs) {
      if (this.byTask.has(cpNs)) return;
      const parts = cpNs.split("|");
      const path = parts.map(segmentNode).join(":");
      this.open({ ...ev, ns: parts.slice(0, -1) }, path, cpNs, "running");
      return;
    }
    const path = nodePath(ev.ns, meta.langgraph_node);
    if (!this.runningPaths.has(path)) this.open(ev, path, null, "running");
  }
}

// ---- what the panel marks ------------------------------------------------------

export type NodeState = "idle" | "visited" | "running" | "interrupted" | "error";

export interface NodeMark {
  state: NodeState;
  /** Path steps (1-based) at which it ran. */
  steps: number[];
}

export interface RunView {
  /** Live runs show running nodes; a finished one shows where it stopped. */
  live: boolean;
  status: string;
  /** Nodes a paused run goes on with (the `paused_at` trait). */
  pausedAt: readonly string[];
}

export interface Marks {
  /** Per node or cluster id; ids without a mark are idle. */
  nodes: Map<string, NodeMark>;
  /** Per edge index: the steps whose move it was, in order. */
  edges: Map<number, number[]>;
  /** The latest step's node or cluster. */
  last: string | null;
}

const RANK: Record<NodeState, number> = { idle: 0, visited: 1, error: 2, interrupted: 3, running: 4 };

/** How far back a step looks for the step it came from. */
const LOOKBACK = 64;

/** The graph's node or cluster a node path lands on (the nearest enclosing one). */
function resolver(graph: GraphSpec): (path: string) => string | null {
  const known = new Set<string>([...graph.nodes.map((n) => n.id), ...graph.clusters.map((c) => c.id)]);
  return (path) => {
    for (let p: string | null = path; p !== null; p = parentOf(p)) if (known.has(p)) return p;
    return null;
  };
}

function inside(id: string, container: string): boolean {
  return id === container || id.startsWith(container + ":");
}

/** The marks of `run` on `graph`. O(visits), recomputed per frame. */
export function computeMarks(graph: GraphSpec, run: GraphRun, view: RunView): Marks {
  const resolve = resolver(graph);
  const clusterIds = new Set(graph.clusters.map((c) => c.id));
  const nodes = new Map<string, NodeMark>();
  // A node shows its latest visit (a node that was interrupted, then resumed,
  // is visited); a cluster the busiest of its own and its nodes' visits.
  const mark = (id: string, state: NodeState, step: number | null) => {
    for (let p: string | null = id; p !== null; p = parentOf(p)) {
      const m = nodes.get(p) ?? { state: "idle", steps: [] };
      if (p === id || RANK[state] > RANK[m.state]) m.state = state;
      if (step !== null && p === id) m.steps.push(step);
      nodes.set(p, m);
      if (!clusterIds.has(parentOf(p) ?? "")) break;
    }
  };

  // The path: one step per visit, but a subgraph's own visit is not a step of
  // its own when its nodes' visits sit right beside it.
  const placed = run.visits.map((v) => resolve(v.path));
  const path: Array<{ id: string; visit: Visit }> = [];
  placed.forEach((id, i) => {
    if (id === null) return;
    const near = [placed[i - 1], placed[i + 1]];
    const absorbed = clusterIds.has(id) && near.some((n) => n != null && n !== id && inside(n, id));
    const visit = run.visits[i]!;
    const state: NodeState =
      visit.status === "running" ? (view.live ? "running" : "visited") : visit.status === "done" ? "visited" : visit.status;
    if (absorbed) mark(id, state, null);
    else {
      path.push({ id, visit });
      mark(id, state, path.length);
    }
  });

  const edges = new Map<number, number[]>();
  const move = (from: string, to: string, step: number): boolean => {
    const index = graph.edges.findIndex((e) => inside(e.source, from) && inside(e.target, to));
    if (index < 0) return false;
    const steps = edges.get(index) ?? [];
    steps.push(step);
    edges.set(index, steps);
    return true;
  };
  path.forEach((s, i) => {
    for (let j = i - 1; j >= Math.max(0, i - LOOKBACK); j--) if (move(path[j]!.id, s.id, i + 1)) return;
    if (!path.slice(0, i).some((p) => p.id === s.id)) move(START, s.id, i + 1);
  });
  if (path.length > 0 || run.visits.length > 0) mark(START, "visited", null);
  const last = path.length > 0 ? path[path.length - 1]!.id : null;
  if (view.status === "done" && last !== null && move(last, END, path.length + 1)) mark(END, "visited", path.length + 1);

  if (view.status === "interrupted") {
    for (const name of view.pausedAt) {
      const id = resolve(name);
      if (id !== null) mark(id, "interrupted", null);
    }
  }
  return { nodes, edges, last };
}

/** The node the timeline filter takes for a graph node: its top-level node. */
export function filterNodeOf(id: string): string {
  const colon = id.indexOf(":");
  return colon >= 0 ? id.slice(0, colon) : id;
}
