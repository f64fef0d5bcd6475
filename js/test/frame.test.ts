import { describe, expect, it } from "vitest";
import { coalesce, FRAME_BUDGET_MS, ingestWithin, now, PANEL_BUDGET_MS, panelBudget, syncScheduler, type FrameScheduler } from "../src/frame";
import { createWaterfall } from "../src/render/waterfall";
import { EventStore } from "../src/store";
import { rec } from "./helpers";

/** Keep the thread busy for `ms` (a panel's earlier work in the same frame). */
function busy(ms: number): void {
  const t = now();
  while (now() - t < ms) {
    // spin
  }
}

describe("coalesce", () => {
  it("runs every callback queued before a frame in that one frame, and later ones in the next", () => {
    const frames: Array<() => void> = [];
    const schedule = coalesce((cb) => frames.push(cb));
    const ran: string[] = [];
    schedule(() => ran.push("a"));
    schedule(() => {
      ran.push("b");
      schedule(() => ran.push("again"));
    });
    expect(frames).toHaveLength(1);
    frames.shift()!();
    expect(ran).toEqual(["a", "b"]);
    expect(frames).toHaveLength(1);
    frames.shift()!();
    expect(ran).toEqual(["a", "b", "again"]);
  });

  it("a failing callback does not keep the others from running", () => {
    const sync: FrameScheduler = (cb) => cb();
    const schedule = coalesce(sync);
    const ran: number[] = [];
    const error = console.error;
    console.error = () => {};
    try {
      let calls = 0;
      const frames: Array<() => void> = [];
      const manual = coalesce((cb) => frames.push(cb));
      manual(() => {
        calls++;
        throw new Error("boom");
      });
      manual(() => ran.push(1));
      frames.shift()!();
      expect(calls).toBe(1);
      expect(ran).toEqual([1]);
      schedule(() => ran.push(2));
      expect(ran).toEqual([1, 2]);
    } finally {
      console.error = error;
    }
  });
});

describe("ingestWithin", () => {
  it("takes everything in chunks when there is time", () => {
    const chunks: Array<[number, number]> = [];
    expect(ingestWithin(1e9, 10, 200, (a, b) => chunks.push([a, b]))).toBe(200);
    expect(chunks).toEqual([
      [10, 74],
      [74, 138],
      [138, 200],
    ]);
  });

  it("stops after the chunk that used up the budget", () => {
    const chunks: Array<[number, number]> = [];
    expect(ingestWithin(0, 0, 10_000, (a, b) => chunks.push([a, b]))).toBe(64);
    expect(chunks).toEqual([[0, 64]]);
  });
});

describe("panelBudget", () => {
  it("is the panel's budget outside a frame and early in one; once the frame's budget is spent, at most 0 (one chunk)", () => {
    expect(panelBudget()).toBe(PANEL_BUDGET_MS);
    const frames: Array<() => void> = [];
    const schedule = coalesce((cb) => frames.push(cb));
    const seen: number[] = [];
    schedule(() => seen.push(panelBudget()));
    schedule(() => busy(FRAME_BUDGET_MS + 1));
    schedule(() => seen.push(panelBudget()));
    frames.shift()!();
    expect(seen[0]).toBe(PANEL_BUDGET_MS);
    expect(seen[1]).toBeLessThanOrEqual(0);
    expect(panelBudget()).toBe(PANEL_BUDGET_MS);
  });

  it("synchronous frames (each append at once) do not share a budget", () => {
    const schedule = coalesce(syncScheduler);
    let seen = NaN;
    schedule(() => {
      busy(FRAME_BUDGET_MS + 1);
      seen = panelBudget();
    });
    expect(seen).toBe(PANEL_BUDGET_MS);
  });

  it("a panel in a frame whose budget is spent takes one chunk; the next frames bring it every event, in order", () => {
    const frames: Array<() => void> = [];
    const schedule = coalesce((cb) => frames.push(cb));
    const store = new EventStore();
    // The timeline's share of the frame, queued first as in a view.
    schedule(() => busy(FRAME_BUDGET_MS + 1));
    const waterfall = createWaterfall(store, { schedule });
    const n = 2000;
    store.append(
      0,
      Array.from({ length: n }, (_, i) => rec(i, "updates", { [`node${i % 3}`]: { i } })),
    );
    frames.shift()!();
    expect(waterfall.model.seen).toBe(64);
    for (let i = 0; i < 1000 && frames.length > 0; i++) frames.shift()!();
    expect(waterfall.model.seen).toBe(n);
    const spans = waterfall.model.arrival.spans;
    expect(spans.map((s) => s.seq)).toEqual(Array.from({ length: n }, (_, i) => i));
    expect(spans.map((s) => s.node).slice(0, 4)).toEqual(["node0", "node1", "node2", "node0"]);
    waterfall.destroy();
  });
});
