// render/graph.ts: the panel drawn from the graph trait, marked as events
// arrive, clicks that set the view's filter, and the unavailable graph.

import { describe, expect, it } from "vitest";
import { createView, type View } from "../src/view";
import researchGraph from "./fixtures/graph-research.json";
import weatherGraph from "./fixtures/graph-weather.json";
import { assertNoInjectedElements, click, FakeKernel, FakeModel, HOSTILE, mustQuery, rec } from "./helpers";

function mount(traits: Record<string, unknown>): { model: FakeModel; kernel: FakeKernel; view: View } {
  const model = new FakeModel({ status: "streaming", ...traits });
  const kernel = new FakeKernel(model);
  const el = document.createElement("div");
  document.body.append(el);
  const view = createView(model, el);
  return { model, kernel, view };
}

const node = (root: ParentNode, id: string) => mustQuery<SVGGElement>(root, `.lgw-graph-node[data-lgw-graph-id="${id}"]`);
/** SVG elements have no click(): dispatch the event a click makes. */
const press = (el: Element) => el.dispatchEvent(new MouseEvent("click", { bubbles: true }));
const panel = (view: View) => mustQuery(view.root, ".lgw-graph");

describe("graph panel", () => {
  it("draws every node and edge, conditional edges dashed, terminals as terminals", () => {
    const { view } = mount({ graph: weatherGraph });
    expect(panel(view).hidden).toBe(false);
    const edges = [...view.root.querySelectorAll<SVGGElement>(".lgw-graph-edge")];
    expect(edges.map((e) => `${e.dataset.source}>${e.dataset.target}:${e.dataset.conditional ?? "-"}`)).toEqual([
      "__start__>agent:-",
      "action>agent:-",
      "agent>__end__:true",
      "agent>action:true",
    ]);
    expect(edges.every((e) => e.querySelector("path")!.getAttribute("d")!.startsWith("M "))).toBe(true);
    expect(view.root.querySelectorAll(".lgw-graph-start, .lgw-graph-end")).toHaveLength(2);
    expect(mustQuery(view.root, ".lgw-graph-start").getAttribute("role")).toBeNull();
    expect(node(view.root, "__end__").classList.contains("lgw-graph-end")).toBe(true);
    expect(mustQuery(view.root, ".lgw-graph-edge-label").textContent).toBe("tools");
  });

  it("draws a subgraph as a cluster around its nodes", () => {
    const { view } = mount({ graph: researchGraph });
    const cluster = mustQuery<SVGGElement>(view.root, ".lgw-graph-cluster");
    expect(cluster.dataset.lgwGraphId).toBe("research");
    const box = cluster.querySelector("rect")!;
    const read = node(view.root, "research:read").querySelector("rect")!;
    const n = (el: Element, a: string) => Number(el.getAttribute(a));
    expect(n(read, "x")).toBeGreaterThanOrEqual(n(box, "x"));
    expect(n(read, "y") + n(read, "height")).toBeLessThanOrEqual(n(box, "y") + n(box, "height"));
    expect(node(view.root, "research:read").textContent).toContain("read");
  });

  it("lights the running node and marks visited nodes and the path as events arrive", () => {
    const { kernel, model, view } = mount({ graph: weatherGraph });
    kernel.push(rec(0, "tasks", { id: "t1", name: "agent", input: {}, triggers: [] }));
    expect(node(view.root, "agent").dataset.state).toBe("running");
    kernel.push(rec(1, "updates", { agent: {} }), rec(2, "tasks", { id: "t2", name: "action", input: {}, triggers: [] }));
    expect(node(view.root, "agent").dataset.state).toBe("visited");
    expect(node(view.root, "action").dataset.state).toBe("running");
    kernel.push(rec(3, "updates", { action: {} }), rec(4, "updates", { agent: {} }));
    model.set({ status: "done" });
    expect(node(view.root, "agent").dataset.visits).toBe("2");
    expect(node(view.root, "agent").querySelector(".lgw-graph-badge")!.textContent).toBe("1, 3");
    const taken = [...view.root.querySelectorAll<SVGGElement>(".lgw-graph-edge[data-taken]")];
    expect(taken.map((e) => `${e.dataset.target}:${e.querySelector(".lgw-graph-edge-steps")!.textContent}`)).toEqual([
      "agent:1",
      "agent:3",
      "__end__:4",
      "action:2",
    ]);
    expect(view.root.querySelector('[data-state="running"]')).toBeNull();
  });

  it("shows an interrupt on the node the run paused at", () => {
    const { kernel, model, view } = mount({ graph: weatherGraph });
    kernel.push(rec(0, "updates", { agent: {} }), rec(1, "updates", { __interrupt__: [{ value: "ok?", id: "i" }] }));
    model.set({ status: "interrupted", paused_at: ["action"] });
    const action = node(view.root, "action");
    expect(action.dataset.state).toBe("interrupted");
    expect(action.querySelector<SVGTextElement>(".lgw-graph-badge")!.dataset.interrupt).toBe("true");
  });

  it("a click filters the timeline to the node, a second click clears it", () => {
    const { view } = mount({ graph: researchGraph });
    press(node(view.root, "agent"));
    expect(view.filter.get().node).toBe("agent");
    expect(node(view.root, "agent").dataset.selected).toBe("true");
    expect(node(view.root, "agent").getAttribute("aria-pressed")).toBe("true");
    node(view.root, "agent").dispatchEvent(new KeyboardEvent("keydown", { key: "Enter", bubbles: true }));
    expect(view.filter.get().node).toBeNull();
    expect(node(view.root, "agent").dataset.selected).toBeUndefined();
    // A subgraph node filters by its top-level node, shown on the cluster.
    press(node(view.root, "research:summarize"));
    expect(view.filter.get().node).toBe("research");
    expect(mustQuery<SVGGElement>(view.root, ".lgw-graph-cluster").dataset.selected).toBe("true");
    // A filter set elsewhere shows here too.
    view.filter.set({ node: "tools" });
    expect(node(view.root, "tools").dataset.selected).toBe("true");
  });

  it("collapses and expands", () => {
    const { view } = mount({ graph: weatherGraph });
    const toggle = mustQuery(view.root, ".lgw-graph-toggle");
    expect(toggle.getAttribute("aria-expanded")).toBe("true");
    click(toggle);
    expect(mustQuery(view.root, ".lgw-graph-content").hidden).toBe(true);
    click(toggle);
    expect(mustQuery(view.root, ".lgw-graph-content").hidden).toBe(false);
  });

  it("is hidden without a graph and appears when the kernel sends one", () => {
    const { model, view } = mount({});
    expect(panel(view).hidden).toBe(true);
    model.set({ graph: weatherGraph });
    expect(panel(view).hidden).toBe(false);
    expect(view.root.querySelectorAll(".lgw-graph-node")).toHaveLength(4);
  });

  it("says why the graph is unavailable, as text", () => {
    const { model, view } = mount({ graph: { error: `GET /graph: 404 ${HOSTILE[0]}` } });
    expect(mustQuery(view.root, ".lgw-graph-unavailable").textContent).toBe(`graph unavailable: GET /graph: 404 ${HOSTILE[0]}`);
    assertNoInjectedElements(view.root.querySelector(".lgw-graph-content")!);
    model.set({ graph: weatherGraph });
    expect(view.root.querySelector(".lgw-graph-unavailable")).toBeNull();
  });

  it("puts hostile node names in as text", () => {
    const graph = { nodes: HOSTILE.map((id) => ({ id, name: id })), edges: [{ source: HOSTILE[0], target: HOSTILE[1], label: HOSTILE[2] }] };
    const { view } = mount({ graph });
    const content = mustQuery(view.root, ".lgw-graph-content");
    expect(content.querySelectorAll(".lgw-graph-node")).toHaveLength(HOSTILE.length);
    expect(content.querySelectorAll("script, img, iframe")).toHaveLength(0);
    expect(content.querySelectorAll("svg")).toHaveLength(1);
  });
});
