// model/graph.ts: the graph trait as layout input, and the marks recorded
// runs leave on the graphs the real server describes.

import { describe, expect, it } from "vitest";
import { computeMarks, filterNodeOf, GraphRun, layoutInput, readGraph, type GraphSpec, type Marks, type RunView } from "../src/model/graph";
import type { EventRecord } from "../src/types";
import researchGraph from "./fixtures/graph-research.json";
import weatherGraph from "./fixtures/graph-weather.json";
import approvalGraph from "./fixtures/graph-approval.json";
import combinedSse from "./fixtures/combined.sse?raw";
import interruptSse from "./fixtures/interrupt.sse?raw";
import messagesSse from "./fixtures/mode-messages-tuple.sse?raw";
import subgraphsSse from "./fixtures/subgraphs.sse?raw";
import tasksSse from "./fixtures/mode-tasks.sse?raw";
import updatesSse from "./fixtures/updates.sse?raw";
import { parseSse, recs } from "./helpers";

function spec(value: unknown): GraphSpec {
  const trait = readGraph(value);
  if (trait.kind !== "graph") throw new Error(`not a graph: ${JSON.stringify(trait)}`);
  return trait.graph;
}

const DONE: RunView = { live: false, status: "done", pausedAt: [] };
const LIVE: RunView = { live: true, status: "streaming", pausedAt: [] };

function marksOf(graph: unknown, events: readonly EventRecord[], view: RunView = DONE): Marks {
  const run = new GraphRun();
  for (const ev of events) run.ingest(ev);
  return computeMarks(spec(graph), run, view);
}

/** id -> steps of every node that ran; "source>target" -> steps of every edge taken. */
function summary(graph: unknown, marks: Marks): { nodes: Record<string, number[]>; edges: Record<string, number[]> } {
  const g = spec(graph);
  const nodes: Record<string, number[]> = {};
  for (const [id, m] of marks.nodes) if (m.steps.length > 0) nodes[id] = m.steps;
  const edges: Record<string, number[]> = {};
  for (const [i, steps] of marks.edges) edges[`${g.edges[i]!.source}>${g.edges[i]!.target}`] = steps;
  return { nodes, edges };
}

describe("readGraph and layoutInput", () => {
  it("makes the subgraph prefix of xray ids a cluster around its nodes", () => {
    const input = layoutInput(spec(researchGraph));
    expect(input.clusters).toEqual([{ id: "research", parent: null }]);
    expect(input.nodes.map((n) => [n.id, n.parent])).toEqual([
      ["__start__", null],
      ["agent", null],
      ["tools", null],
      ["__end__", null],
      ["research:read", "research"],
      ["research:summarize", "research"],
    ]);
    expect(input.edges.map((e) => `${e.index}:${e.source}>${e.target}`)).toEqual([
      "0:__start__>agent",
      "1:agent>__end__",
      "2:agent>tools",
      "3:research:summarize>agent",
      "4:tools>research:read",
      "5:research:read>research:summarize",
    ]);
  });

  it("labels nodes by their own name, sizes boxes from the label, terminals small", () => {
    const graph = spec(researchGraph);
    expect(graph.nodes.map((n) => n.label)).toEqual(["start", "agent", "tools", "end", "read", "summarize"]);
    const input = layoutInput(graph);
    const width = (id: string) => input.nodes.find((n) => n.id === id)!.width;
    expect(width("research:summarize")).toBeGreaterThan(width("research:read"));
    expect(width("__start__")).toBe(width("__end__"));
    expect(width("__start__")).toBeLessThan(width("agent"));
  });

  it("keeps which edges are conditional and the branch names", () => {
    const graph = spec(weatherGraph);
    expect(graph.edges.map((e) => [e.source, e.target, e.conditional, e.label])).toEqual([
      ["__start__", "agent", false, null],
      ["action", "agent", false, null],
      ["agent", "__end__", true, null],
      ["agent", "action", true, "tools"],
    ]);
  });

  it("tells no graph, an unavailable graph and a malformed one apart", () => {
    expect(readGraph({})).toEqual({ kind: "none" });
    expect(readGraph(undefined)).toEqual({ kind: "none" });
    expect(readGraph({ error: "404 not found" })).toEqual({ kind: "error", reason: "404 not found" });
    expect(readGraph({ nodes: "?" }).kind).toBe("error");
    const loose = spec({ nodes: [{ id: "a" }, { id: "a" }, {}], edges: [{ source: "a", target: "ghost" }, 7] });
    expect(loose).toEqual({ nodes: [{ id: "a", label: "a", kind: "node", cluster: null }], clusters: [], edges: [] });
  });

  it("filters a subgraph node's events by its top-level node", () => {
    expect(filterNodeOf("research:read")).toBe("research");
    expect(filterNodeOf("agent")).toBe("agent");
  });
});

describe("marks of recorded runs", () => {
  it("updates: visited nodes with their steps, the path from start to end", () => {
    const marks = marksOf(weatherGraph, parseSse(updatesSse));
    expect(summary(weatherGraph, marks)).toEqual({
      nodes: { agent: [1, 3], action: [2], __end__: [4] },
      edges: { "__start__>agent": [1], "agent>action": [2], "action>agent": [3], "agent>__end__": [4] },
    });
    expect(marks.nodes.get("__start__")?.state).toBe("visited");
    expect(marks.last).toBe("agent");
  });

  it("reaches the end only once the run is done", () => {
    const marks = marksOf(weatherGraph, parseSse(updatesSse), LIVE);
    expect(marks.nodes.has("__end__")).toBe(false);
    expect([...marks.edges.keys()].length).toBe(3);
  });

  it("subgraph events land on the xray nodes, the parent's own update on none", () => {
    const marks = marksOf(researchGraph, parseSse(subgraphsSse));
    expect(summary(researchGraph, marks)).toEqual({
      nodes: { agent: [1, 5], tools: [2], "research:read": [3], "research:summarize": [4], __end__: [6] },
      edges: {
        "__start__>agent": [1],
        "agent>tools": [2],
        "tools>research:read": [3],
        "research:read>research:summarize": [4],
        "research:summarize>agent": [5],
        "agent>__end__": [6],
      },
    });
    expect(marks.nodes.get("research")?.state).toBe("visited");
  });

  it("messages and updates of one node run count once; a parent-only update lands on its cluster", () => {
    const marks = marksOf(researchGraph, parseSse(combinedSse));
    const { nodes, edges } = summary(researchGraph, marks);
    expect(nodes.agent).toEqual([1, 4]);
    expect(nodes.tools).toEqual([2]);
    expect(nodes.research).toEqual([3]);
    expect(edges["tools>research:read"]).toEqual([3]);
    expect(edges["research:summarize>agent"]).toEqual([4]);
  });

  it("tasks: a started task is running while the run is live, visited after", () => {
    const events = parseSse(tasksSse);
    const firstResult = events.findIndex((e) => e.mode === "tasks" && "result" in (e.data as object));
    const started = events.slice(0, firstResult);
    expect(marksOf(researchGraph, started, LIVE).nodes.get("agent")?.state).toBe("running");
    expect(marksOf(researchGraph, started, DONE).nodes.get("agent")?.state).toBe("visited");
    const marks = marksOf(researchGraph, events.slice(0, firstResult + 2), LIVE);
    expect(marks.nodes.get("agent")?.state).toBe("visited");
    expect(marks.nodes.get("tools")?.state).toBe("running");
    // research runs as a whole: its cluster lights up.
    const all = marksOf(researchGraph, events, LIVE);
    expect(summary(researchGraph, all).nodes).toEqual({ agent: [1, 4], tools: [2], research: [3] });
  });

  it("messages metadata: the streaming node runs until its update", () => {
    const events = parseSse(messagesSse);
    const marks = marksOf(researchGraph, events.slice(0, 2), LIVE);
    expect(marks.nodes.get("agent")?.state).toBe("running");
    const withUpdate = [...events.slice(0, 2), ...recs([["updates", { agent: {} }]]).map((e) => ({ ...e, seq: 2 }))];
    expect(marksOf(researchGraph, withUpdate, LIVE).nodes.get("agent")?.state).toBe("visited");
  });

  it("interrupts: the paused node is marked, and a resumed run clears it", () => {
    const events = parseSse(interruptSse);
    const paused: RunView = { live: false, status: "interrupted", pausedAt: ["review"] };
    const marks = marksOf(approvalGraph, events, paused);
    expect(marks.nodes.get("review")?.state).toBe("interrupted");
    expect(marks.nodes.get("agent")?.state).toBe("visited");
    const resumed = [...events, ...recs([["updates", { review: {} }]]).map((e) => ({ ...e, seq: events.length }))];
    expect(marksOf(approvalGraph, resumed, DONE).nodes.get("review")?.state).toBe("visited");
  });

  it("a task interrupted in the stream is marked without paused_at", () => {
    const events = recs([
      ["tasks", { id: "t1", name: "review", input: {}, triggers: [] }],
      ["updates", { __interrupt__: [{ value: "ok?", id: "i1" }] }],
    ]);
    expect(marksOf(approvalGraph, events, { live: false, status: "interrupted", pausedAt: [] }).nodes.get("review")?.state).toBe(
      "interrupted",
    );
  });

  it("a failed task is marked as an error; nodes the graph lacks are skipped", () => {
    const events = recs([
      ["updates", { ghost: {} }],
      ["tasks", { id: "t1", name: "agent", input: {}, triggers: [] }],
      ["tasks", { id: "t1", name: "agent", error: "ValueError: no", result: null, interrupts: [] }],
    ]);
    const marks = marksOf(weatherGraph, events);
    expect(marks.nodes.get("agent")).toEqual({ state: "error", steps: [1] });
    expect(marks.nodes.has("ghost")).toBe(false);
  });

  it("a long loop lists the same edge's steps in order", () => {
    const ticks = recs(Array.from({ length: 6 }, () => ["updates", { tick: { count: 1 } }] as [string, unknown]));
    const graph = { nodes: [{ id: "__start__" }, { id: "tick" }, { id: "__end__" }], edges: [
      { source: "__start__", target: "tick" },
      { source: "tick", target: "__end__", conditional: true },
      { source: "tick", target: "tick", conditional: true },
    ] };
    expect(summary(graph, marksOf(graph, ticks)).edges).toEqual({
      "__start__>tick": [1],
      "tick>tick": [2, 3, 4, 5, 6],
      "tick>__end__": [7],
    });
  });
});
