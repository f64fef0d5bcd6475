// Transport v3: the binary event headers of append messages (lgwidget/wire/headers.py).
// The fixture is written by the kernel's encoder (tests/unit/test_wire.py
// checks it is current), so both sides agree byte for byte.

import { describe, expect, it } from "vitest";
import { decodeHeaders, inflateAppend } from "../src/records";
import { EventStore } from "../src/store";
import { connect } from "../src/transport";
import deflateText from "./fixtures/wire-deflate.json?raw";
import fixtureText from "./fixtures/wire-v3.json?raw";
import { appendMessage, asBuffer, FakeModel, rec } from "./helpers";

interface Case {
  names: string[];
  headers: string;
  expected: unknown[][];
}

const cases = JSON.parse(fixtureText) as Record<string, Case>;

function bytesOf(base64: string): Uint8Array {
  return Uint8Array.from(atob(base64), (c) => c.charCodeAt(0));
}

function caseOf(label: string): Case {
  const c = cases[label];
  if (!c) throw new Error(`no fixture case ${label}`);
  return c;
}

/** A v3 append message of a fixture case whose data sizes are small: data "1", "12", ... */
function v3Message(from: number, label: string) {
  const c = caseOf(label);
  const texts = c.expected.map((h) => "1234567890".slice(0, h[3] as number));
  const data = new TextEncoder().encode(texts.join(""));
  return {
    msg: { type: "append", from, names: c.names },
    buffers: [asBuffer(bytesOf(c.headers), "dataview"), asBuffer(data, "arraybuffer")],
    texts,
  };
}

describe("decodeHeaders", () => {
  for (const [label, c] of Object.entries(cases)) {
    it(`decodes what the kernel encoded: ${label}`, () => {
      expect(decodeHeaders(c.names, bytesOf(c.headers))).toEqual(c.expected);
    });
  }

  it("ends the list at a header cut short", () => {
    const c = caseOf("server ids");
    const bytes = bytesOf(c.headers);
    expect(decodeHeaders(c.names, bytes.subarray(0, bytes.length - 1))).toEqual(c.expected.slice(0, -1));
    expect(decodeHeaders(c.names, bytes.subarray(0, 1))).toEqual([]);
  });

  it("ends the list at a name the table lacks, and takes no buffer as no headers", () => {
    const c = caseOf("server ids");
    expect(decodeHeaders(c.names.slice(0, 1), bytesOf(c.headers))).toEqual(c.expected.slice(0, 1));
    expect(decodeHeaders([1, 2], bytesOf(c.headers))).toEqual([]);
    expect(decodeHeaders(c.names, null)).toEqual([]);
  });
});

describe("transport v3 append messages", () => {
  it("builds records from the header and data buffers, each message with its own names", () => {
    const model = new FakeModel();
    const store = new EventStore();
    connect(model, store);
    const first = v3Message(0, "unicode names");
    const second = v3Message(6, "verbatim ids");
    model.custom(first.msg, first.buffers);
    model.custom(second.msg, second.buffers);
    expect(store.length).toBe(13);
    const got = store.slice();
    expect(got.map((r) => r.event)).toEqual([...caseOf("unicode names").expected, ...caseOf("verbatim ids").expected].map((h) => h[0]));
    expect(got[1]).toMatchObject({ seq: 1, event: "név|ns:1😀", mode: "név", ns: ["ns:1😀"], id: null, t: 0.001, data: "1", raw: true });
    expect(got[2]).toMatchObject({ seq: 2, data: 12, t: 0.002 });
    expect(got[0]!.data).toBeNull(); // no bytes
    expect(got.slice(6).map((r) => r.id)).toEqual([null, "x-1", "01-0", "5-0", "4-0", "9007199254740992-0", "é😀-3"]);
    expect(got.slice(6).map((r) => r.data)).toEqual([1, 1, 1, 1, 1, 1, 1]);
  });

  it("takes a v2 message, then v3 ones, skipping what it holds and re-asking on a gap", () => {
    const model = new FakeModel();
    const store = new EventStore();
    connect(model, store);
    const old = appendMessage(0, [rec(0, "metadata", { run_id: "r" })]);
    model.custom(old.msg, old.buffers);
    const m = v3Message(1, "verbatim ids");
    model.custom(m.msg, m.buffers);
    model.custom(m.msg, m.buffers); // a duplicate: no-op
    expect(store.slice().map((r) => r.seq)).toEqual([0, 1, 2, 3, 4, 5, 6, 7]);
    model.custom(v3Message(20, "verbatim ids").msg, m.buffers);
    expect(store.length).toBe(8);
    expect(model.sentOfType("hello").at(-1)).toEqual({ type: "hello", have: 8 });
  });

  it("joins data split over several buffers (events lying in more than one kernel chunk)", () => {
    const model = new FakeModel();
    const store = new EventStore();
    connect(model, store);
    const m = v3Message(0, "verbatim ids");
    const data = new Uint8Array(m.buffers[1] as ArrayBuffer);
    const cut = 3; // inside the second event's data: the kernel never cuts one, the view must not care
    const parts = [asBuffer(data.slice(0, cut), "dataview"), asBuffer(data.slice(cut), "arraybuffer")];
    model.custom(m.msg, [m.buffers[0], ...parts]);
    expect(store.slice().map((r) => r.data)).toEqual(m.texts.map((t) => (t === "" ? null : Number(t))));
  });

  it("a v3 message without buffers, or with names that are not a list, adds nothing", () => {
    const model = new FakeModel();
    const store = new EventStore();
    connect(model, store);
    model.custom({ type: "append", from: 0, names: ["a"] }, []);
    model.custom({ type: "append", from: 0, names: "a" }, []);
    expect(store.length).toBe(0);
  });
});

describe("deflated append messages (small events)", () => {
  const fixture = JSON.parse(deflateText) as { msg: Record<string, unknown>; packed: string; texts: string[] };

  it("inflate to the kernel's headers and data, and land in the store", () => {
    const model = new FakeModel();
    const store = new EventStore();
    connect(model, store);
    model.custom(fixture.msg, [asBuffer(bytesOf(fixture.packed), "dataview")]);
    expect(store.length).toBe(40);
    const records = store.slice();
    expect(records.map((r) => JSON.stringify(r.data))).toEqual(fixture.texts.map((t) => JSON.stringify(JSON.parse(t))));
    expect(records.map((r) => r.id)).toEqual(records.map((_, i) => `1732491234567-${i}`));
    expect(records[39]!.t).toBeCloseTo(0.39, 3);
  });

  it("a buffer that does not inflate to the stated sizes adds nothing and asks the kernel again", () => {
    const errors: unknown[] = [];
    const original = console.error;
    console.error = (...args: unknown[]) => errors.push(args[0]);
    try {
      const model = new FakeModel();
      const store = new EventStore();
      let clock = 0;
      connect(model, store, { now: () => clock });
      clock += 5000; // past the hello de-duplication window
      const hellos = model.sentOfType("hello").length;
      const packed = bytesOf(fixture.packed);
      model.custom({ ...fixture.msg, deflate: [205, 1471] }, [asBuffer(packed, "dataview")]);
      model.custom(fixture.msg, [asBuffer(new Uint8Array([1, 2, 3]), "dataview")]);
      expect(store.length).toBe(0);
      expect(errors).toHaveLength(2);
      expect(model.sentOfType("hello").length).toBe(hellos + 1); // the second is within a second of the first
      expect(inflateAppend([205, 1470], packed)?.map((part) => part.length)).toEqual([205, 1470]);
      expect(inflateAppend("205,1470", packed)).toBeNull();
    } finally {
      console.error = original;
    }
  });
});
