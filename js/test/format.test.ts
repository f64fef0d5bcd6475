import { describe, expect, it } from "vitest";
import { formatCount } from "../src/dom";

describe("formatCount", () => {
  it("groups integers as en-US does, without ICU", () => {
    for (const n of [0, 7, 999, 1000, 12_345, 999_999, 1_000_000, 50_000, 1_234_567_890, -1234, Number.MAX_SAFE_INTEGER]) {
      expect(formatCount(n)).toBe(n.toLocaleString("en-US"));
    }
  });

  it("leaves other numbers to toLocaleString", () => {
    for (const n of [1.5, 1234.5678, NaN, Infinity, 1e21]) expect(formatCount(n)).toBe(n.toLocaleString("en-US"));
  });
});
