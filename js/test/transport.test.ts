import { afterEach, describe, expect, it, vi } from "vitest";
import widget from "../src/index";
import { EventStore } from "../src/store";
import { connect } from "../src/transport";
import { FakeKernel, FakeModel, rec, recs } from "./helpers";

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
