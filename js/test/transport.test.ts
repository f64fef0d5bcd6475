import { afterEach, describe, expect, it, vi } from "vitest";
import widget from "../src/index";
import { EventStore } from "../src/store";
import { connect } from "../src/transport";
import { appendMessage, FakeKernel, FakeModel, rec, recs, snapshotTrait, wire } from "./helpers";

const three = recs([
  ["metadata", { run_id: "r1", attempt: 1 }],
  ["updates", { agent: { x: 1 } }],
  ["updates", { tools: { y: 2 } }],
]);

describe("transport handshake", () => {
  it("sends hello with have: 0 when there is no snapshot", () => {
    const model = new FakeModel();
    const store = new EventStore();
    connect(model, store);
    expect(model.sent).toEqual([{ type: "hello", have: 0 }]);
  });

  it("loads the snapshot first, then says hello with what it holds", () => {
    const model = new FakeModel({ _snapshot: three, status: "done" });
    const store = new EventStore();
    connect(model, store);
    expect(store.length).toBe(3);
    expect(store.get(1)?.data).toEqual({ agent: { x: 1 } });
    expect(model.sent).toEqual([{ type: "hello", have: 3 }]);
  });

  it("takes append messages, skipping what it already holds", () => {
    const model = new FakeModel({ _snapshot: three.slice(0, 2) });
    const store = new EventStore();
    connect(model, store);
    model.custom({ type: "append", from: 1, events: three.slice(1) });
    expect(store.slice().map((e) => e.seq)).toEqual([0, 1, 2]);
    model.custom({ type: "append", from: 0, events: three }); // duplicate: no-op
    expect(store.length).toBe(3);
    expect(model.sentOfType("hello")).toHaveLength(1);
  });

  it("re-sends hello on a gap, with the count it holds", () => {
    const model = new FakeModel();
    const store = new EventStore();
    connect(model, store);
    model.custom({ type: "append", from: 0, events: three.slice(0, 1) });
    model.custom({ type: "append", from: 2, events: three.slice(2) }); // seq 1 missing
    expect(store.length).toBe(1);
    expect(model.sentOfType("hello")).toEqual([
      { type: "hello", have: 0 },
      { type: "hello", have: 1 },
    ]);
  });

  it("does not flood the kernel with hellos while a gap persists", () => {
    let clock = 1000;
    const model = new FakeModel();
    const store = new EventStore();
    connect(model, store, { now: () => clock });
    // The mount hello (have 0) is still unanswered: it already covers these gaps.
    for (let i = 5; i < 10; i++) model.custom({ type: "append", from: i, events: [rec(i, "custom", i)] });
    expect(model.sentOfType("hello")).toHaveLength(1);
    clock += 1500; // no answer for a while: ask again, once
    model.custom({ type: "append", from: 11, events: [rec(11, "custom", 11)] });
    model.custom({ type: "append", from: 12, events: [rec(12, "custom", 12)] });
    expect(model.sentOfType("hello")).toEqual([
      { type: "hello", have: 0 },
      { type: "hello", have: 0 },
    ]);
    // Once the store has grown, a new gap is asked about at once.
    model.custom({ type: "append", from: 0, events: [rec(0, "custom", 0)] });
    model.custom({ type: "append", from: 3, events: [rec(3, "custom", 3)] });
    expect(model.sentOfType("hello").at(-1)).toEqual({ type: "hello", have: 1 });
  });

  it("ignores messages that are not well-formed appends", () => {
    const model = new FakeModel();
    const store = new EventStore();
    connect(model, store);
    for (const msg of [null, "x", { type: "other" }, { type: "append", from: "0", events: [] }, { type: "append", from: 0 }]) {
      model.custom(msg);
    }
    expect(store.length).toBe(0);
    expect(model.sent).toHaveLength(1);
  });

  it("loads the snapshot when it is written after mount (run end)", () => {
    const model = new FakeModel({ status: "streaming" });
    const store = new EventStore();
    connect(model, store);
    model.custom({ type: "append", from: 0, events: three.slice(0, 1) });
    model.set({ _snapshot: three, status: "done" });
    expect(store.length).toBe(3);
  });

  it("cleanup removes its listeners", () => {
    const model = new FakeModel();
    const store = new EventStore();
    const before = model.listenerCount();
    const cleanup = connect(model, store);
    expect(model.listenerCount("msg:custom")).toBe(1);
    cleanup();
    expect(model.listenerCount()).toBe(before);
    model.custom({ type: "append", from: 0, events: three });
    expect(store.length).toBe(0);
  });

  it("survives a model whose send throws (no kernel)", () => {
    const model = new FakeModel({ _snapshot: three });
    model.send = () => {
      throw new Error("no kernel");
    };
    const debug = vi.spyOn(console, "debug").mockImplementation(() => {});
    const store = new EventStore();
    expect(() => connect(model, store)).not.toThrow();
    expect(store.length).toBe(3);
    debug.mockRestore();
  });
});

describe("views over one model", () => {
  const cleanups: Array<() => void> = [];
  afterEach(() => {
    while (cleanups.length) cleanups.pop()!();
    document.body.replaceChildren();
  });

  const mount = (model: FakeModel) => {
    const el = document.createElement("div");
    document.body.append(el);
    const cleanup = widget.render!({ model, el } as never);
    if (typeof cleanup === "function") cleanups.push(cleanup as () => void);
    return el;
  };

  it("a second view mounted later gets the whole list through hello", () => {
    const model = new FakeModel({ status: "streaming" });
    const kernel = new FakeKernel(model);
    const first = mount(model);
    kernel.push(...three.slice(0, 2));
    expect(first.querySelectorAll(".lgw-entry")).toHaveLength(2);

    const second = mount(model);
    // The second view's hello is answered with everything; the first view
    // also receives that append and ignores the overlap.
    expect(second.querySelectorAll(".lgw-entry")).toHaveLength(2);
    expect(first.querySelectorAll(".lgw-entry")).toHaveLength(2);

    kernel.push(three[2]!);
    for (const view of [first, second]) {
      const root = view.querySelector(".lgw-timeline") as HTMLElement;
      expect(root.dataset.count).toBe("3");
      expect([...view.querySelectorAll<HTMLElement>(".lgw-entry")].map((e) => e.dataset.lgwSeq)).toEqual(["0", "1", "2"]);
    }
  });

  it("each view holds its own DOM; cleaning one up leaves the other working", () => {
    const model = new FakeModel({ status: "streaming" });
    const kernel = new FakeKernel(model);
    const a = mount(model);
    const b = mount(model);
    const cleanupA = cleanups.shift()!;
    cleanupA();
    expect(a.querySelector(".lgw-timeline")).toBeNull();
    kernel.push(three[0]!);
    expect(b.querySelectorAll(".lgw-entry")).toHaveLength(1);
  });

  it("cleanup removes every listener the view added", () => {
    const model = new FakeModel();
    mount(model);
    expect(model.listenerCount()).toBeGreaterThan(0);
    cleanups.pop()!();
    expect(model.listenerCount()).toBe(0);
  });

  it("a reopened notebook (snapshot, no kernel) shows the saved timeline", () => {
    const model = new FakeModel({ status: "done", _snapshot: three, count: 3 });
    const el = mount(model);
    const root = el.querySelector(".lgw-timeline") as HTMLElement;
    expect(root.dataset.status).toBe("done");
    expect(root.dataset.count).toBe("3");
    expect(el.querySelectorAll(".lgw-entry")).toHaveLength(3);
    expect(model.sent).toEqual([{ type: "hello", have: 3 }]);
  });
});

describe("transport v2: headers and one buffer of data texts", () => {
  const records = [
    rec(0, "metadata", { run_id: "r1", attempt: 1 }, { id: "1" }),
    rec(1, "updates", { agent: { text: "héllo wörld" } }, { id: "2", t: 0.5 }),
    rec(2, "custom|research:7f3c|fetch:11aa", { city: "東京", emoji: "🚀🛰️" }),
    rec(3, "values", { messages: [{ type: "ai", content: "ça va — 👍" }] }),
  ];

  for (const kind of ["dataview", "arraybuffer"] as const) {
    it(`decodes each event's slice of the buffer (${kind}), multi-byte UTF-8 included`, () => {
      const model = new FakeModel();
      const store = new EventStore();
      connect(model, store);
      const { msg, buffers } = appendMessage(0, records, kind);
      model.custom(msg, buffers);
      expect(store.length).toBe(4);
      for (const r of records) {
        const got = store.get(r.seq)!;
        expect(got.seq).toBe(r.seq);
        expect(got.event).toBe(r.event);
        expect(got.mode).toBe(r.mode);
        expect(got.ns).toEqual(r.ns);
        expect(got.id).toBe(r.id);
        expect(got.t).toBe(r.t);
        expect(got.data).toEqual(r.data);
        expect(got.raw).toBeUndefined();
      }
      expect(store.get(2)!.ns).toEqual(["research:7f3c", "fetch:11aa"]);
      expect(store.get(2)!.mode).toBe("custom");
    });
  }

  it("keeps text that is not JSON as raw; empty text is null; bad bytes become U+FFFD", () => {
    const model = new FakeModel();
    const store = new EventStore();
    connect(model, store);
    const evs = [rec(0, "updates", null), rec(1, "custom", null), rec(2, "messages", null), rec(3, "note", null)];
    const texts = ['{"broken": ', "", "plain text ünïcode", '"ok"'];
    const { events, bytes } = wire(evs, texts);
    // Splice an invalid UTF-8 byte into the third text.
    const bad = new Uint8Array(bytes.length + 1);
    const at = new TextEncoder().encode(texts[0]! + texts[1]!).length + 5;
    bad.set(bytes.subarray(0, at), 0);
    bad[at] = 0xff;
    bad.set(bytes.subarray(at), at + 1);
    (events[2] as [string, string | null, number, number])[3] += 1;
    model.custom({ type: "append", from: 0, events }, [new DataView(bad.buffer)]);
    expect(store.get(0)).toMatchObject({ data: '{"broken": ', raw: true, mode: "updates" });
    expect(store.get(1)!.data).toBeNull();
    expect(store.get(1)!.raw).toBeUndefined();
    expect(store.get(2)!.raw).toBe(true);
    expect(store.get(2)!.data).toBe("plain\uFFFD text ünïcode");
    expect(store.get(3)!.data).toBe("ok");
  });

  it("parses a record's data when it is first read; the record still spreads and compares like a plain one", () => {
    const model = new FakeModel();
    const store = new EventStore();
    connect(model, store);
    const { msg, buffers } = appendMessage(0, records);
    model.custom(msg, buffers);
    const r = store.get(1)!;
    expect(Object.keys(r)).toEqual(expect.arrayContaining(["seq", "event", "mode", "ns", "id", "t", "data"]));
    expect({ ...r, data: 1 }.event).toBe("updates");
    expect(r).toEqual(records[1]);
    expect(JSON.parse(JSON.stringify(r))).toEqual(records[1]);
  });

  it("skips what it holds, and re-asks on a gap", () => {
    const model = new FakeModel();
    const store = new EventStore();
    connect(model, store);
    let m = appendMessage(0, records.slice(0, 2));
    model.custom(m.msg, m.buffers);
    m = appendMessage(1, records.slice(1)); // overlaps seq 1
    model.custom(m.msg, m.buffers);
    expect(store.slice().map((e) => e.seq)).toEqual([0, 1, 2, 3]);
    expect(store.get(3)!.data).toEqual(records[3]!.data);
    m = appendMessage(6, [rec(6, "custom", 6)]);
    model.custom(m.msg, m.buffers);
    expect(store.length).toBe(4);
    expect(model.sentOfType("hello").at(-1)).toEqual({ type: "hello", have: 4 });
  });

  it("takes mixed messages: old record objects, then headers", () => {
    const model = new FakeModel();
    const store = new EventStore();
    connect(model, store);
    model.custom({ type: "append", from: 0, events: records.slice(0, 2) });
    const m = appendMessage(2, records.slice(2), "arraybuffer");
    model.custom(m.msg, m.buffers);
    expect(store.slice().map((e) => e.data)).toEqual(records.map((r) => r.data));
  });

  it("headers without a buffer give null data", () => {
    const model = new FakeModel();
    const store = new EventStore();
    connect(model, store);
    model.custom({ type: "append", from: 0, events: [["custom", null, 0.1, 5]] });
    expect(store.get(0)).toMatchObject({ event: "custom", data: null, id: null, t: 0.1 });
  });

  for (const kind of ["dataview", "arraybuffer"] as const) {
    it(`loads a v2 snapshot (${kind}) and says hello with what it holds`, () => {
      const model = new FakeModel({ status: "done", _snapshot: snapshotTrait(records, 0, kind) });
      const store = new EventStore();
      connect(model, store);
      expect(store.slice().map((e) => e.data)).toEqual(records.map((r) => r.data));
      expect(model.sent).toEqual([{ type: "hello", have: 4 }]);
    });
  }

  it("an empty snapshot ({} or []) loads nothing", () => {
    for (const empty of [{}, [], null, { events: [] }]) {
      const model = new FakeModel({ _snapshot: empty });
      const store = new EventStore();
      connect(model, store);
      expect(store.length).toBe(0);
      expect(model.sent).toEqual([{ type: "hello", have: 0 }]);
    }
  });

  it("keeps raw text as it is when the header says so (a 5th field, 1)", () => {
    const model = new FakeModel();
    const store = new EventStore();
    connect(model, store);
    const { events, bytes } = wire([rec(0, "custom", null), rec(1, "custom", null)], ['{"looks": "like json"}', "\"x\""]);
    (events[0] as unknown[]).push(1);
    model.custom({ type: "append", from: 0, events }, [new DataView(bytes.buffer)]);
    expect(store.get(0)).toMatchObject({ data: '{"looks": "like json"}', raw: true });
    expect(store.get(1)!.data).toBe("x");
    expect(store.get(1)!.raw).toBeUndefined();
  });

  it("reports the events a snapshot left out", () => {
    const infos: unknown[] = [];
    const model = new FakeModel({ _snapshot: snapshotTrait(records.slice(0, 3), 1200) });
    connect(model, new EventStore(), { onSnapshot: (info) => infos.push(info) });
    expect(infos).toEqual([{ end: 3, omitted: 1200 }]);
  });
});

describe("a saved notebook whose snapshot left events out", () => {
  const cleanups: Array<() => void> = [];
  afterEach(() => {
    while (cleanups.length) cleanups.pop()!();
    document.body.replaceChildren();
  });

  it("says so under the list, until the kernel sends the rest", () => {
    const all = Array.from({ length: 10 }, (_, i) => rec(i, "custom", { i }));
    const model = new FakeModel({ status: "done", _snapshot: snapshotTrait(all.slice(0, 4), 6), count: 10 });
    model.send = () => {}; // no kernel yet
    const el = document.createElement("div");
    document.body.append(el);
    const cleanup = widget.render!({ model, el } as never);
    if (typeof cleanup === "function") cleanups.push(cleanup as () => void);
    const note = el.querySelector<HTMLElement>(".lgw-snapshot-note")!;
    expect(note.hidden).toBe(false);
    expect(note.textContent).toBe("6 more events were not saved in the notebook (the kernel holds them all)");
    expect(note.dataset.lgwOmitted).toBe("6");
    expect(el.querySelectorAll(".lgw-entries > .lgw-entry")).toHaveLength(4);
    // A kernel answers hello with the rest.
    const m = appendMessage(4, all.slice(4));
    model.custom(m.msg, m.buffers);
    expect(el.querySelectorAll(".lgw-entries > .lgw-entry")).toHaveLength(10);
    expect(note.hidden).toBe(true);
  });
});

describe("a snapshot whose long strings the kernel clipped", () => {
  const MARK = "… [clipped in the saved notebook: 9,000 more characters; the kernel has them all]";
  const whole = [
    rec(0, "metadata", { run_id: "r" }),
    rec(1, "updates", { tools: { result: "y".repeat(10_000) } }),
    rec(2, "updates", { agent: { text: "after" } }),
  ];
  const clippedTexts = [
    JSON.stringify(whole[0]!.data),
    JSON.stringify({ tools: { result: "y".repeat(1000) + MARK } }),
    JSON.stringify(whole[2]!.data),
  ];
  const clippedSnapshot = () => {
    const { events, bytes } = wire(whole, clippedTexts);
    return { events, data: new DataView(bytes.buffer), omitted: 0 };
  };

  afterEach(() => {
    vi.useRealTimers();
  });

  it("takes the events from the first clipped one whole from a live kernel", () => {
    const model = new FakeModel({ status: "done", _snapshot: clippedSnapshot() });
    const kernel = new FakeKernel(model);
    kernel.events.push(...whole);
    const store = new EventStore();
    connect(model, store);
    expect(model.sent).toEqual([{ type: "hello", have: 1 }]);
    expect(store.length).toBe(3);
    expect((store.get(1)!.data as { tools: { result: string } }).tools.result).toBe("y".repeat(10_000));
  });

  it("shows the clipped events at once when there is no kernel", () => {
    const model = new FakeModel({ status: "done", _snapshot: clippedSnapshot() });
    model.send = () => {
      throw new Error("no kernel");
    };
    const debug = vi.spyOn(console, "debug").mockImplementation(() => {});
    const store = new EventStore();
    connect(model, store);
    expect(store.length).toBe(3);
    expect((store.get(1)!.data as { tools: { result: string } }).tools.result).toContain("[clipped in the saved notebook");
    debug.mockRestore();
  });

  it("shows them after a moment when the kernel does not answer", () => {
    vi.useFakeTimers();
    const model = new FakeModel({ status: "done", _snapshot: clippedSnapshot() });
    const store = new EventStore();
    connect(model, store, { snapshotWaitMs: 500 });
    expect(store.length).toBe(1);
    vi.advanceTimersByTime(600);
    expect(store.length).toBe(3);
    expect(store.get(2)!.data).toEqual(whole[2]!.data);
  });

  it("a view that already holds the events ignores the clipped copy", () => {
    const model = new FakeModel({ status: "streaming" });
    const kernel = new FakeKernel(model);
    const store = new EventStore();
    connect(model, store);
    kernel.push(...whole);
    model.set({ _snapshot: clippedSnapshot(), status: "done" });
    expect(store.length).toBe(3);
    expect((store.get(1)!.data as { tools: { result: string } }).tools.result).toBe("y".repeat(10_000));
  });
});
