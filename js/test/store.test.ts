import { describe, expect, it, vi } from "vitest";
import { EventStore, normalize } from "../src/store";
import { rec } from "./helpers";

const batch = (from: number, n: number, event = "updates") =>
  Array.from({ length: n }, (_, i) => rec(from + i, event, { n: from + i }));

describe("EventStore", () => {
  it("appends from 0 and notifies the new range", () => {
    const store = new EventStore();
    const seen: Array<[number, number]> = [];
    store.subscribe((s, e) => seen.push([s, e]));
    const r = store.append(0, batch(0, 3));
    expect(r).toEqual({ start: 0, added: 3, gap: false });
    expect(store.length).toBe(3);
    expect(seen).toEqual([[0, 3]]);
    expect(store.get(2)?.data).toEqual({ n: 2 });
  });

  it("skips the overlap it already holds", () => {
    const store = new EventStore();
    store.append(0, batch(0, 3));
    const listener = vi.fn();
    store.subscribe(listener);
    // Events 1..4: 1 and 2 are held, 3 and 4 are new.
    const r = store.append(1, batch(1, 4));
    expect(r).toEqual({ start: 3, added: 2, gap: false });
    expect(store.slice().map((e) => e.seq)).toEqual([0, 1, 2, 3, 4]);
    expect(store.get(3)?.data).toEqual({ n: 3 });
    expect(listener).toHaveBeenCalledTimes(1);
    expect(listener).toHaveBeenCalledWith(3, 5);
  });

  it("is idempotent: a batch already held changes nothing and notifies no one", () => {
    const store = new EventStore();
    store.append(0, batch(0, 4));
    const listener = vi.fn();
    store.subscribe(listener);
    expect(store.append(0, batch(0, 4))).toEqual({ start: 4, added: 0, gap: false });
    expect(store.append(2, batch(2, 2))).toEqual({ start: 4, added: 0, gap: false });
    expect(store.append(4, [])).toEqual({ start: 4, added: 0, gap: false });
    expect(store.length).toBe(4);
    expect(listener).not.toHaveBeenCalled();
  });

  it("reports a gap when from is past the end and keeps nothing of it", () => {
    const store = new EventStore();
    store.append(0, batch(0, 2));
    const listener = vi.fn();
    store.subscribe(listener);
    expect(store.append(5, batch(5, 3))).toEqual({ start: 2, added: 0, gap: true });
    expect(store.length).toBe(2);
    expect(listener).not.toHaveBeenCalled();
    // Filling the gap afterwards works.
    expect(store.append(2, batch(2, 6)).added).toBe(6);
    expect(store.length).toBe(8);
  });

  it("an empty store treats from > 0 as a gap", () => {
    const store = new EventStore();
    expect(store.append(1, batch(1, 1)).gap).toBe(true);
    expect(store.length).toBe(0);
  });

  it("ignores a negative or non-integer from", () => {
    const store = new EventStore();
    expect(store.append(-1, batch(0, 2))).toEqual({ start: 0, added: 0, gap: false });
    expect(store.append(0.5, batch(0, 2)).added).toBe(0);
    expect(store.length).toBe(0);
  });

  it("counts ordinals per mode (the updates step number)", () => {
    const store = new EventStore();
    store.append(0, [
      rec(0, "metadata", {}),
      rec(1, "updates", {}),
      rec(2, "values", {}),
      rec(3, "updates", {}),
      rec(4, "updates|sub:1", {}),
    ]);
    expect([0, 1, 2, 3, 4].map((s) => store.ordinal(s))).toEqual([0, 0, 0, 1, 2]);
    expect(store.ordinal(99)).toBe(-1);
  });

  it("unsubscribe stops notifications; a throwing listener does not block others", () => {
    const store = new EventStore();
    const a = vi.fn();
    const b = vi.fn(() => {
      throw new Error("boom");
    });
    const c = vi.fn();
    const unsubA = store.subscribe(a);
    store.subscribe(b);
    store.subscribe(c);
    const err = vi.spyOn(console, "error").mockImplementation(() => {});
    store.append(0, batch(0, 1));
    expect(a).toHaveBeenCalledTimes(1);
    expect(c).toHaveBeenCalledTimes(1);
    unsubA();
    store.append(1, batch(1, 1));
    expect(a).toHaveBeenCalledTimes(1);
    expect(c).toHaveBeenCalledTimes(2);
    err.mockRestore();
  });

  it("repairs malformed records and sets seq from the position", () => {
    expect(normalize(42, 3)).toMatchObject({ seq: 3, mode: "unknown", data: 42, ns: [] });
    expect(normalize({ event: "custom|sub:1|inner:2", data: 1 }, 0)).toMatchObject({
      seq: 0,
      event: "custom|sub:1|inner:2",
      mode: "custom",
      ns: ["sub:1", "inner:2"],
      id: null,
    });
    const good = rec(5, "updates", {});
    expect(normalize(good, 5)).toBe(good);
    expect(normalize(good, 6).seq).toBe(6);
  });
});
