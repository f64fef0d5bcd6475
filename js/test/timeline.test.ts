import { describe, expect, it } from "vitest";
import { createTimeline, UNLAID_ROWS } from "../src/render/timeline";
import { EventStore } from "../src/store";
import { rec } from "./helpers";

describe("timeline", () => {
  it("renders events already in the store when created", () => {
    const store = new EventStore();
    store.append(0, [rec(0, "metadata", { run_id: "r" }), rec(1, "updates", { a: {} })]);
    const tl = createTimeline(store);
    expect(tl.el.querySelectorAll(".lgw-entry")).toHaveLength(2);
  });

  it("appends only the new entries and never rebuilds the old ones", () => {
    const store = new EventStore();
    const tl = createTimeline(store);
    store.append(0, [rec(0, "metadata", { run_id: "r" }), rec(1, "updates", { a: {} })]);
    const before = [...tl.el.children];
    expect(before).toHaveLength(2);
    store.append(2, [rec(2, "custom", 1), rec(3, "updates", { b: {} })]);
    const after = [...tl.el.children];
    expect(after).toHaveLength(4);
    // The same node objects, in place.
    expect(after[0]).toBe(before[0]);
    expect(after[1]).toBe(before[1]);
    expect(after.map((e) => (e as HTMLElement).dataset.lgwSeq)).toEqual(["0", "1", "2", "3"]);
  });

  it("keeps state of existing entries (an expanded JSON branch stays expanded)", () => {
    const store = new EventStore();
    const tl = createTimeline(store);
    store.append(0, [rec(0, "custom", { deep: { x: 1 } })]);
    const toggle = tl.el.querySelector<HTMLElement>('.lgw-json-branch > .lgw-json-toggle')!;
    expect(toggle.getAttribute("aria-expanded")).toBe("false");
    toggle.click();
    expect(toggle.getAttribute("aria-expanded")).toBe("true");
    store.append(1, [rec(1, "custom", 2)]);
    expect(tl.el.contains(toggle)).toBe(true);
    expect(toggle.getAttribute("aria-expanded")).toBe("true");
  });

  it("ignores duplicates from the store (no duplicate entries)", () => {
    const store = new EventStore();
    const tl = createTimeline(store);
    const evs = [rec(0, "custom", 0), rec(1, "custom", 1)];
    store.append(0, evs);
    store.append(0, evs);
    store.append(1, evs.slice(1));
    expect(tl.el.querySelectorAll(".lgw-entry")).toHaveLength(2);
  });

  it("destroy stops following the store", () => {
    const store = new EventStore();
    const tl = createTimeline(store);
    tl.destroy();
    store.append(0, [rec(0, "custom", 0)]);
    expect(tl.el.children).toHaveLength(0);
  });

  it("takes a large batch in one go but keeps only the last rows in the DOM (no layout)", () => {
    const store = new EventStore();
    const tl = createTimeline(store);
    const evs = Array.from({ length: 2000 }, (_, i) => rec(i, "custom", { tick: i }));
    store.append(0, evs);
    expect(tl.stats().rows).toBe(2000);
    expect(tl.el.children).toHaveLength(UNLAID_ROWS);
    expect((tl.el.firstElementChild as HTMLElement).dataset.lgwSeq).toBe(String(2000 - UNLAID_ROWS));
    expect((tl.el.lastElementChild as HTMLElement).dataset.lgwSeq).toBe("1999");
  });
});
