import { describe, expect, it } from "vitest";
import { coalesce, ingestWithin, type FrameScheduler } from "../src/frame";

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
    expect(ingestWithin(1e9, 10, 700, (a, b) => chunks.push([a, b]))).toBe(700);
    expect(chunks).toEqual([
      [10, 266],
      [266, 522],
      [522, 700],
    ]);
  });

  it("stops after the chunk that used up the budget", () => {
    const chunks: Array<[number, number]> = [];
    expect(ingestWithin(0, 0, 10_000, (a, b) => chunks.push([a, b]))).toBe(256);
    expect(chunks).toEqual([[0, 256]]);
  });
});
