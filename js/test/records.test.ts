// Lazy records (records.ts): the data of a message's events is decoded from
// the message's bytes on first read, all at once for a message of ASCII text.

import { describe, expect, it } from "vitest";
import { dataText, decodeEvents, lazyRecord } from "../src/records";
import type { EventHeader, EventRecord } from "../src/types";

const encoder = new TextEncoder();

/** v2 headers and one buffer for these data texts (or raw byte arrays). */
function message(datas: Array<string | number[]>, raw: number[] = []): { events: EventHeader[]; bytes: Uint8Array } {
  const parts = datas.map((d) => (typeof d === "string" ? encoder.encode(d) : new Uint8Array(d)));
  const bytes = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let offset = 0;
  for (const p of parts) {
    bytes.set(p, offset);
    offset += p.length;
  }
  const events = parts.map((p, i): EventHeader => (raw.includes(i) ? ["custom", null, i, p.length, 1] : ["updates", null, i, p.length]));
  return { events, bytes };
}

function records(datas: Array<string | number[]>, raw: number[] = []): EventRecord[] {
  const { events, bytes } = message(datas, raw);
  return decodeEvents(0, events, bytes).records as EventRecord[];
}

describe("lazy records", () => {
  it("read the same from a message of ASCII text, of multi-byte text, and of invalid bytes", () => {
    const ascii = records(['{"a": 1}', '"two"', "", "[3]"]);
    expect(ascii.map((r) => r.data)).toEqual([{ a: 1 }, "two", null, [3]]);
    expect(ascii.map((r) => r.raw)).toEqual([undefined, undefined, undefined, undefined]);
    const multi = records(['{"a": "ünï"}', '"😀"', '{"b": 2}']);
    expect(multi.map((r) => r.data)).toEqual([{ a: "ünï" }, "😀", { b: 2 }]);
    // A lone invalid byte is one replacement character, in the message's text as in the event's.
    const invalid = records(['{"a": 1}', [0x22, 0xff, 0x22], "[1]"]);
    expect(invalid.map((r) => r.data)).toEqual([{ a: 1 }, "\uFFFD", [1]]);
    // Cut sequences: fewer characters than bytes; each event is decoded on its own.
    const cut = records([[0x22, 0xe2, 0x82, 0x22], '{"c": 3}']);
    expect(cut.map((r) => r.data)).toEqual(["\uFFFD", { c: 3 }]);
  });

  it("keep text that is not JSON, and raw text, as it is", () => {
    const rs = records(['{"a": 1}', "not json", "kept {as} it is", '"json"'], [2]);
    expect(rs.map((r) => [r.data, r.raw])).toEqual([
      [{ a: 1 }, undefined],
      ["not json", true],
      ["kept {as} it is", true],
      ["json", undefined],
    ]);
  });

  it("parse on first read, in any order; the data text stays the bytes as they came", () => {
    const rs = records(['{"a":   1}', '{"b": 2}', '{"c": 3}']);
    expect(dataText(rs[1]!)).toBe('{"b": 2}');
    expect(rs[2]!.data).toEqual({ c: 3 });
    expect(rs[0]!.raw).toBeUndefined();
    expect(rs[0]!.data).toEqual({ a: 1 });
    expect(rs[1]!.data).toEqual({ b: 2 });
    expect(rs.map(dataText)).toEqual(['{"a":   1}', '{"b": 2}', '{"c": 3}']);
  });

  it("take writes to data and raw", () => {
    const [a, b] = records(['{"a": 1}', "[2]"]);
    a!.data = { changed: true };
    expect(a!.data).toEqual({ changed: true });
    b!.raw = true;
    expect(b!.raw).toBe(true);
    expect(b!.data).toEqual([2]);
  });

  it("spread, compare and serialize like plain records", () => {
    const [r] = records(['{"a": 1}']);
    const plain = { seq: 0, event: "updates", mode: "updates", ns: [], id: null, t: 0, data: { a: 1 } };
    expect(r).toEqual(plain);
    expect({ ...r }).toEqual(plain);
    expect(JSON.parse(JSON.stringify(r))).toEqual(plain);
    expect(Object.keys(r!)).toEqual(["seq", "event", "mode", "ns", "id", "t", "data", "raw"]);
    const sub = lazyRecord(4, "updates|team:1|research:2", "7-0", 1.5, encoder.encode('{"x": 1}'));
    expect({ ...sub }).toEqual({ seq: 4, event: "updates|team:1|research:2", mode: "updates", ns: ["team:1", "research:2"], id: "7-0", t: 1.5, data: { x: 1 }, raw: undefined });
  });
});
