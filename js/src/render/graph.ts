// The graph panel: the run's graph (the `graph` trait) laid out by dagre and
// drawn as SVG through DOM calls (names go in as text nodes, never markup),
// marked as the run goes (model/graph.ts): the running node lit, visited
// nodes with the steps they ran at, the path's edges with theirs, interrupts.
// Clicking a node filters the timeline to it (clicking it again clears it).
// Collapsible, above the timeline; hidden while there is no graph.

import dagre, { type EdgeLabel, type GraphLabel, type NodeLabel } from "@dagrejs/dagre";
import { h } from "../dom";
import type { FilterState } from "../filter";
import { defaultScheduler, frameRequests, ingestWithin, panelBudget, type FrameScheduler } from "../frame";
import { computeMarks, filterNodeOf, GraphRun, layoutInput, readGraph, type GraphSpec, type Marks } from "../model/graph";
import type { EventStore } from "../store";
import { LIVE_STATUSES, type Model } from "../types";
import { collapsible } from "./common";

const SVG = "http://www.w3.org/2000/svg";
const TRAITS = ["graph", "status", "paused_at"];
/** Steps listed on a node or an edge before they are only counted. */
const LISTED_STEPS = 3;
const CLUSTER_LABEL = 14;
/** Makes each drawing's marker id unique: several views share one page. */
let drawings = 0;

export interface GraphPanelOptions {
  schedule?: FrameScheduler | undefined;
}

export interface GraphPanel {
  el: HTMLElement;
  destroy(): void;
}

function svg<K extends keyof SVGElementTagNameMap>(tag: K, attrs: Record<string, string | number> = {}): SVGElementTagNameMap[K] {
  const el = document.createElementNS(SVG, tag);
  for (const [k, v] of Object.entries(attrs)) el.setAttribute(k, String(v));
  return el;
}

function svgText(text: string, x: number, y: number, cls: string): SVGTextElement {
  const el = svg("text", { x, y, class: cls, "text-anchor": "middle", "dominant-baseline": "central" });
  el.textContent = text;
  return el;
}

/** "1, 4" for a few steps, "×12" for many. */
export function stepsText(steps: readonly number[]): string {
  return steps.length <= LISTED_STEPS ? steps.join(", ") : `×${steps.length}`;
}

interface Drawn {
  graph: GraphSpec;
  svg: SVGSVGElement;
  /** Node and cluster groups by id. */
  items: Map<string, SVGGElement>;
  badges: Map<string, SVGTextElement>;
  edges: SVGGElement[];
  edgeSteps: SVGTextElement[];
}

/** Lay `graph` out with dagre and draw it, unmarked. */
function draw(graph: GraphSpec, onPick: (id: string) => void): Drawn {
  const input = layoutInput(graph);
  const g = new dagre.graphlib.Graph<GraphLabel, NodeLabel, EdgeLabel>({ compound: true, multigraph: true });
  g.setGraph({ rankdir: "TB", nodesep: 24, ranksep: 34, marginx: 8, marginy: 8 });
  g.setDefaultEdgeLabel(() => ({}));
  for (const c of input.clusters) g.setNode(c.id, { width: 0, height: 0 });
  for (const n of input.nodes) g.setNode(n.id, { width: n.width, height: n.height });
  for (const c of input.clusters) if (c.parent !== null) g.setParent(c.id, c.parent);
  for (const n of input.nodes) if (n.parent !== null) g.setParent(n.id, n.parent);
  for (const e of input.edges) {
    g.setEdge(e.source, e.target, { width: e.labelWidth, height: e.labelHeight, labelpos: "c" }, String(e.index));
  }
  dagre.layout(g);

  const { width = 0, height = 0 } = g.graph();
  const root = svg("svg", { class: "lgw-graph-svg", width: Math.ceil(width), height: Math.ceil(height), viewBox: `0 0 ${Math.ceil(width)} ${Math.ceil(height)}`, role: "group" });
  const arrowId = `lgw-graph-arrow-${++drawings}`;
  const defs = svg("defs");
  const marker = svg("marker", { id: arrowId, viewBox: "0 0 10 10", refX: 9, refY: 5, markerWidth: 7, markerHeight: 7, orient: "auto-start-reverse" });
  marker.append(svg("path", { d: "M 0 0 L 10 5 L 0 10 z", class: "lgw-graph-arrowhead" }));
  defs.append(marker);
  root.append(defs);

  const items = new Map<string, SVGGElement>();
  const badges = new Map<string, SVGTextElement>();
  const pickable = (el: SVGGElement, id: string, name: string) => {
    el.setAttribute("tabindex", "0");
    el.setAttribute("role", "button");
    el.setAttribute("aria-label", `filter the timeline to ${name}`);
    el.addEventListener("click", (e) => {
      e.stopPropagation();
      onPick(id);
    });
    el.addEventListener("keydown", (e) => {
      if (e.key === "Enter" || e.key === " ") {
        e.preventDefault();
        onPick(id);
      }
    });
  };

  // Clusters first (under their nodes), outermost first.
  for (const c of graph.clusters) {
    const box = g.node(c.id);
    const x = (box.x ?? 0) - box.width / 2;
    const y = (box.y ?? 0) - box.height / 2;
    const el = svg("g", { class: "lgw-graph-cluster" });
    el.dataset.lgwGraphId = c.id;
    el.dataset.state = "idle";
    el.append(svg("rect", { x, y, width: box.width, height: box.height, rx: 6 }));
    const label = svg("text", { x: x + 8, y: y + CLUSTER_LABEL - 2, class: "lgw-graph-cluster-label" });
    label.textContent = c.label;
    el.append(label);
    pickable(el, c.id, c.label);
    items.set(c.id, el);
    root.append(el);
  }

  const edges: SVGGElement[] = [];
  const edgeSteps: SVGTextElement[] = [];
  graph.edges.forEach((e, index) => {
    const laid = g.edge({ v: e.source, w: e.target, name: String(index) });
    const points = laid.points ?? [];
    const el = svg("g", { class: "lgw-graph-edge" });
    el.dataset.source = e.source;
    el.dataset.target = e.target;
    if (e.conditional) el.dataset.conditional = "true";
    const d = points.map((p, i) => `${i === 0 ? "M" : "L"} ${p.x.toFixed(1)} ${p.y.toFixed(1)}`).join(" ");
    el.append(svg("path", { d, "marker-end": `url(#${arrowId})`, class: "lgw-graph-edge-line" }));
    const lx = laid.x ?? points[Math.floor(points.length / 2)]?.x ?? 0;
    const ly = laid.y ?? points[Math.floor(points.length / 2)]?.y ?? 0;
    if (e.label !== null) el.append(svgText(e.label, lx, ly - 6, "lgw-graph-edge-label"));
    const steps = svgText("", lx, e.label !== null ? ly + 7 : ly, "lgw-graph-edge-steps");
    el.append(steps);
    edges.push(el);
    edgeSteps.push(steps);
    root.append(el);
  });

  for (const n of graph.nodes) {
    const box = g.node(n.id);
    const cx = box.x ?? 0;
    const cy = box.y ?? 0;
    const el = svg("g", { class: `lgw-graph-node lgw-graph-${n.kind}` });
    el.dataset.lgwGraphId = n.id;
    el.dataset.state = "idle";
    el.append(
      svg("rect", { x: cx - box.width / 2, y: cy - box.height / 2, width: box.width, height: box.height, rx: n.kind === "node" ? 5 : box.height / 2 }),
      svgText(n.label, cx, cy, "lgw-graph-node-label"),
    );
    const title = svg("title");
    title.textContent = n.id;
    el.append(title);
    if (n.kind === "node") {
      const badge = svgText("", cx + box.width / 2 - 2, cy - box.height / 2, "lgw-graph-badge");
      badge.setAttribute("text-anchor", "end");
      el.append(badge);
      badges.set(n.id, badge);
      pickable(el, n.id, n.id);
    }
    items.set(n.id, el);
    root.append(el);
  }
  return { graph, svg: root, items, badges, edges, edgeSteps };
}

function applyMarks(drawn: Drawn, marks: Marks, selected: string | null): void {
  for (const [id, el] of drawn.items) {
    const m = marks.nodes.get(id);
    el.dataset.state = m?.state ?? "idle";
    el.dataset.visits = String(m?.steps.length ?? 0);
    if (id === marks.last) el.dataset.last = "true";
    else delete el.dataset.last;
    if (id === selected) el.dataset.selected = "true";
    else delete el.dataset.selected;
    if (el.hasAttribute("role")) el.setAttribute("aria-pressed", String(id === selected));
    const badge = drawn.badges.get(id);
    if (badge) {
      const steps = m?.steps ?? [];
      const interrupted = m?.state === "interrupted";
      badge.textContent = [interrupted ? "⏸" : "", steps.length > 0 ? stepsText(steps) : ""].filter(Boolean).join(" ");
      badge.dataset.interrupt = String(interrupted);
    }
  }
  drawn.edges.forEach((el, i) => {
    const steps = marks.edges.get(i) ?? [];
    if (steps.length > 0) el.dataset.taken = String(steps.length);
    else delete el.dataset.taken;
    drawn.edgeSteps[i]!.textContent = steps.length > 0 ? stepsText(steps) : "";
  });
}

export function createGraphPanel(model: Model, store: EventStore, filter: FilterState, options: GraphPanelOptions = {}): GraphPanel {
  const el = h("div", "lgw-graph");
  el.dataset.lgwGraph = "";
  const toggle = h("button", "lgw-panel-toggle lgw-graph-toggle");
  toggle.type = "button";
  const summary = h("span", "lgw-panel-summary lgw-graph-summary");
  toggle.append(h("span", "lgw-json-arrow"), h("span", "lgw-panel-title", "graph"), summary);
  const content = h("div", "lgw-graph-content");
  el.append(toggle, content);
  collapsible(el, toggle, content, { open: true });

  const run = new GraphRun();
  let seen = 0;
  let drawn: Drawn | null = null;
  let traitValue: unknown = undefined;

  const pick = (id: string) => {
    const node = filterNodeOf(id);
    filter.set({ node: filter.get().node === node ? null : node });
  };

  const rebuild = () => {
    traitValue = model.get("graph");
    const trait = readGraph(traitValue);
    drawn = null;
    el.hidden = trait.kind === "none";
    if (trait.kind === "error") {
      summary.textContent = "";
      content.replaceChildren(h("div", "lgw-graph-unavailable", `graph unavailable: ${trait.reason}`));
      el.dataset.state = "unavailable";
      return;
    }
    if (trait.kind === "graph") {
      drawn = draw(trait.graph, pick);
      content.replaceChildren(drawn.svg);
      el.dataset.state = "ready";
    }
  };

  const frames = frameRequests(options.schedule ?? defaultScheduler(), () => {
    if (model.get("graph") !== traitValue) rebuild();
    seen = ingestWithin(panelBudget(), seen, store.length, (start, end) => {
      for (const ev of store.slice(start, end)) run.ingest(ev);
    });
    if (seen < store.length) frames.request(); // the rest next frame
    if (!drawn) return;
    const status = String(model.get("status") ?? "");
    const pausedAt = model.get("paused_at");
    const marks = computeMarks(drawn.graph, run, {
      live: LIVE_STATUSES.has(status),
      status,
      pausedAt: Array.isArray(pausedAt) ? pausedAt.map(String) : [],
    });
    const node = filter.get().node;
    applyMarks(drawn, marks, node);
    const running = [...marks.nodes].filter(([id, m]) => m.state === "running" && drawn!.badges.has(id)).map(([id]) => id);
    summary.textContent = running.length > 0 ? ` · running ${running.join(", ")}` : marks.last ? ` · last ${marks.last}` : "";
  });
  const request = frames.request;

  for (const t of TRAITS) model.on(`change:${t}`, request);
  const unsubscribeStore = store.subscribe(request);
  const unsubscribeFilter = filter.subscribe(request);
  el.hidden = true;
  request();

  return {
    el,
    destroy() {
      frames.stop();
      for (const t of TRAITS) model.off(`change:${t}`, request);
      unsubscribeStore();
      unsubscribeFilter();
    },
  };
}
