import { describe, expect, it } from "vitest";
import { appendedItems, deepEqual, diffState, isEmptyDiff, ValuesTracker } from "../src/model/values";
import { parseSse, rec } from "./helpers";
import valuesSse from "./fixtures/mode-values.sse?raw";
import hitlSse from "./fixtures/hitl.sse?raw";

describe("diffState", () => {
  it("reports added, changed, removed and appended keys", () => {
    const d = diffState(
      { messages: [{ id: "1", content: "a" }], topic: "x", gone: 1, same: { a: [1] } },
      { messages: [{ id: "1", content: "a" }, { id: "2", content: "b" }], topic: "y", fresh: true, same: { a: [1] } },
    );
    expect(d.initial).toBe(false);
    expect(d.appended).toEqual([{ key: "messages", items: [{ id: "2", content: "b" }] }]);
    expect(d.changed).toEqual(["topic"]);
    expect(d.added).toEqual(["fresh"]);
    expect(d.removed).toEqual(["gone"]);
    expect(d.unchanged).toEqual(["same"]);
  });

  it("a list that is not a pure append is changed; an edited message too", () => {
    expect(diffState({ l: [1, 2] }, { l: [2, 1, 3] }).changed).toEqual(["l"]);
    expect(diffState({ m: [{ id: "1", content: "a" }] }, { m: [{ id: "1", content: "b" }, { id: "2" }] }).changed).toEqual(["m"]);
    expect(diffState({ l: [1, 2] }, { l: [1] }).changed).toEqual(["l"]);
  });

  it("the first state is initial; __interrupt__ is not state", () => {
    const d = diffState(undefined, { a: 1, __interrupt__: [] });
    expect(d.initial).toBe(true);
    expect(d.added).toEqual(["a"]);
    expect(isEmptyDiff(diffState({ a: 1 }, { a: 1, __interrupt__: [{ value: 1 }] }))).toBe(true);
  });

  it("non-object states are opaque", () => {
    expect(diffState(undefined, [1]).opaque).toBe(true);
    expect(diffState({ a: 1 }, "x").opaque).toBe(true);
  });

  it("deepEqual and appendedItems", () => {
    expect(deepEqual({ a: [1, { b: null }] }, { a: [1, { b: null }] })).toBe(true);
    expect(deepEqual({ a: 1 }, { a: 1, b: undefined })).toBe(false);
    expect(deepEqual([1], { 0: 1 })).toBe(false);
    expect(appendedItems([1], [1, 2, 3])).toEqual([2, 3]);
    expect(appendedItems([1], [1])).toBeNull();
    // Very deep values do not overflow the stack.
    let deep: unknown = 0;
    for (let i = 0; i < 10_000; i++) deep = [deep];
    expect(deepEqual(deep, deep)).toBe(true);
    expect(typeof deepEqual(deep, JSON.parse(JSON.stringify([[[1]]])))).toBe("boolean");
  });
});

describe("ValuesTracker over mode-values.sse", () => {
  it("one message appended per step, and the research findings as new keys", () => {
    const t = new ValuesTracker();
    const diffs = parseSse(valuesSse)
      .filter((e) => e.mode === "values")
      .map((e) => t.ingest(e));
    expect(diffs[0]!.initial).toBe(true);
    expect(diffs[0]!.added).toEqual(["messages"]);
    // agent: the tool call message and the topic; tools: the tool message.
    expect(diffs[1]!.appended.map((a) => [a.key, a.items.length])).toEqual([["messages", 1]]);
    expect(diffs[1]!.added).toEqual(["topic"]);
    expect(diffs[2]!.appended.map((a) => [a.key, a.items.length])).toEqual([["messages", 1]]);
    // research: notes and summary are new keys.
    expect(diffs[3]!.added.sort()).toEqual(["notes", "summary"]);
    expect(diffs[3]!.appended).toEqual([]);
    // agent: the report.
    const report = diffs[4]!.appended[0]!.items[0] as { content: string };
    expect(report.content).toBe("Report on tidal power: 3 sources agree (9 passages).");
    expect(t.count()).toBe(5);
    expect(Object.keys(t.current() as object).sort()).toEqual(["messages", "notes", "summary", "topic"]);
  });

  it("keeps one state per namespace", () => {
    const t = new ValuesTracker();
    t.ingest(rec(0, "values", { a: 1 }));
    const sub = t.ingest(rec(1, "values|sub:1", { b: 1 }));
    expect(sub.initial).toBe(true);
    expect(t.ingest(rec(2, "values", { a: 2 })).changed).toEqual(["a"]);
  });

  it("the values after an interrupt carry __interrupt__ but no change", () => {
    const t = new ValuesTracker();
    const evs = parseSse(hitlSse).filter((e) => e.mode === "values");
    const diffs = evs.map((e) => t.ingest(e));
    const withInterrupt = evs.findIndex((e) => "__interrupt__" in (e.data as object));
    expect(withInterrupt).toBeGreaterThan(0);
    expect(isEmptyDiff(diffs[withInterrupt]!)).toBe(true);
    expect("__interrupt__" in (t.current() as object)).toBe(false);
  });
});
