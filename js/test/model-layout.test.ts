import { describe, expect, it } from "vitest";
import { Layout } from "../src/model/layout";
import { splitCheckpointNs } from "../src/model/ns";

describe("Layout", () => {
  it("creates the chain of node slots for a nested namespace, once", () => {
    const l = new Layout();
    const a = l.container(["team:1", "research:2"], 5);
    expect(a.created.map((s) => [s.node, s.path, s.segment, s.taskId])).toEqual([
      ["team", [], "team:1", "1"],
      ["research", ["team:1"], "research:2", "2"],
    ]);
    expect(a.slot).toBe(a.created[1]);
    const b = l.container(["team:1", "research:2"], 6);
    expect(b.created).toEqual([]);
    expect(b.slot).toBe(a.slot);
    expect(l.container([], 7)).toEqual({ slot: null, created: [] });
  });

  it("the parent's update closes the slot its subgraph opened", () => {
    const l = new Layout();
    const { slot } = l.container(["research:9"], 1);
    expect(l.close([], "agent", 2)).toBeNull();
    expect(l.close([], "research", 3)).toBe(slot);
    expect(slot!.updateSeq).toBe(3);
    // A second run of the same node opens a new slot.
    const again = l.container(["research:10"], 4);
    expect(again.created).toHaveLength(1);
    expect(again.slot).not.toBe(slot);
  });

  it("tokens of a task share a slot; another task of the node opens another", () => {
    const l = new Layout();
    const a = l.nodeSlot([], "agent", "t1", 1);
    expect(a.created).toBe(true);
    expect(l.nodeSlot([], "agent", "t1", 2)).toEqual({ slot: a.slot, created: false });
    const b = l.nodeSlot([], "agent", "t2", 3);
    expect(b.created).toBe(true);
    // Unknown task: the latest open slot of the node.
    expect(l.nodeSlot([], "agent", null, 4).slot).toBe(b.slot);
    // Updates close the oldest first.
    expect(l.close([], "agent", 5)).toBe(a.slot);
    expect(l.close([], "agent", 6)).toBe(b.slot);
  });

  it("a subgraph adopts the open slot its node's tokens made", () => {
    const l = new Layout();
    const tok = l.nodeSlot([], "research", "9", 1).slot;
    const { slot, created } = l.container(["research:9"], 2);
    expect(created).toEqual([]);
    expect(slot).toBe(tok);
    expect(slot!.segment).toBe("research:9");
  });

  it("counts steps per container and finds the busy slot", () => {
    const l = new Layout();
    expect([l.nextStep([]), l.nextStep([]), l.nextStep(["s:1"])]).toEqual([1, 2, 1]);
    const s = l.nodeSlot([], "agent", null, 1).slot;
    expect(l.busy([])).toBeNull();
    s.streaming = 1;
    expect(l.busy([])).toBe(s);
  });
});

describe("splitCheckpointNs", () => {
  it("splits the task's own segment off", () => {
    expect(splitCheckpointNs("research:1|summarize:2")).toEqual({ ns: ["research:1"], node: "summarize", task: "2" });
    expect(splitCheckpointNs("agent:3")).toEqual({ ns: [], node: "agent", task: "3" });
    expect(splitCheckpointNs("")).toEqual({ ns: [], node: null, task: null });
    expect(splitCheckpointNs(5)).toEqual({ ns: [], node: null, task: null });
  });
});

describe("the models and the store stay DOM-free", () => {
  it("never touch the DOM or import renderers", () => {
    const sources = import.meta.glob(["../src/model/*.ts", "../src/store.ts"], { query: "?raw", import: "default", eager: true }) as Record<
      string,
      string
    >;
    expect(Object.keys(sources).length).toBeGreaterThanOrEqual(7);
    for (const [path, source] of Object.entries(sources)) {
      expect(source, path).not.toMatch(/\bdocument\b|\bwindow\b|HTMLElement|from "\.\.\/(render|dom|json-view)/);
    }
  });
});
