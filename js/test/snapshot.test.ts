// The persisted snapshot's shapes: v3 (binary headers, data in one or two
// buffers) as the kernel writes it (the fixture is written by
// lgwidget/wire/snapshot.py; tests/unit/test_snapshot.py checks it is current),
// and the v2 shape of notebooks saved before.

import { describe, expect, it, vi } from "vitest";
import { readSnapshot } from "../src/snapshot";
import { EventStore } from "../src/store";
import { connect } from "../src/transport";
import fixtureText from "./fixtures/snapshot-v3.json?raw";
import { asBuffer, FakeModel, rec, snapshotTrait } from "./helpers";

interface Fixture {
  names: string[];
  headers: string;
  data: string[];
  omitted: number;
  expected: Array<Record<string, unknown>>;
}

const fixture = JSON.parse(fixtureText) as Fixture;

function bytesOf(base64: string): Uint8Array {
  return Uint8Array.from(atob(base64), (c) => c.charCodeAt(0));
}

/** The v3 trait as the view gets it: buffers put back in place by the widget manager. */
function v3Trait(omitted = fixture.omitted) {
  return {
    v: 3,
    names: fixture.names,
    headers: asBuffer(bytesOf(fixture.headers), "dataview"),
    data: fixture.data.map((chunk, i) => asBuffer(bytesOf(chunk), i === 0 ? "dataview" : "arraybuffer")),
    omitted,
  };
}

function noKernel(model: FakeModel): void {
  model.send = () => {
    throw new Error("no kernel");
  };
}

describe("the v3 snapshot", () => {
  it("holds two data buffers: the kernel's shared prefix and a copy from the clipped event on", () => {
    expect(fixture.data).toHaveLength(2);
  });

  it("reads as the records the kernel wrote", () => {
    const debug = vi.spyOn(console, "debug").mockImplementation(() => {});
    const model = new FakeModel({ status: "done", _snapshot: v3Trait() });
    noKernel(model);
    const store = new EventStore();
    connect(model, store);
    expect(store.slice().map((r) => ({ ...r }))).toEqual(fixture.expected);
    debug.mockRestore();
  });

  it("reports the events it left out", () => {
    const infos: unknown[] = [];
    connect(new FakeModel({ _snapshot: v3Trait(40) }), new EventStore(), { onSnapshot: (info) => infos.push(info) });
    expect(infos).toEqual([{ end: fixture.expected.length, omitted: 40 }]);
  });

  it("takes one data buffer, or a single one not in a list, without a copy", () => {
    const bytes = new TextEncoder().encode('{"a":1}');
    const names = ["updates"];
    const headers = new Uint8Array([0, 0, 7]); // name 0, no id, t 0, 7 bytes
    for (const data of [[asBuffer(bytes, "dataview")], asBuffer(bytes, "dataview")]) {
      const saved = readSnapshot({ v: 3, names, headers, data, omitted: 0 })!;
      expect(saved.events).toEqual([["updates", null, 0, 7]]);
      expect(new TextDecoder().decode(saved.data!)).toBe('{"a":1}');
    }
  });

  it("cut headers end the events there; a missing data buffer gives empty data", () => {
    const saved = readSnapshot({ names: ["updates"], headers: new Uint8Array([0, 0, 7, 0]), data: [null] })!;
    expect(saved.events).toEqual([["updates", null, 0, 7]]);
    expect(saved.data).toBeNull();
    const store = new EventStore();
    connect(new FakeModel({ _snapshot: { names: ["updates"], headers: new Uint8Array([0, 0, 7]), data: [] } }), store);
    expect(store.get(0)).toMatchObject({ event: "updates", data: null });
  });
});

describe("older snapshot shapes", () => {
  const records = [rec(0, "metadata", { run_id: "r" }), rec(1, "updates", { agent: { n: 1 } })];

  it("reads v2 (JSON headers, one buffer)", () => {
    const saved = readSnapshot(snapshotTrait(records, 3))!;
    expect(saved.events).toEqual([
      ["metadata", null, 0, 14],
      ["updates", null, 0.1, 17],
    ]);
    expect(new TextDecoder().decode(saved.data!)).toBe('{"run_id":"r"}{"agent":{"n":1}}');
    expect(saved.omitted).toBe(3);
  });

  it("is not a snapshot object: {}, a list, null", () => {
    for (const snap of [{}, [], null, "x"]) expect(readSnapshot(snap)).toBeNull();
  });
});
