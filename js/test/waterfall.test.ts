import { afterEach, describe, expect, it } from "vitest";
import { createHeader } from "../src/render/header";
import { createWaterfall, MAX_BARS, treeOrder } from "../src/render/waterfall";
import { EventStore } from "../src/store";
import type { FrameScheduler } from "../src/frame";
import { FakeKernel, FakeModel, HOSTILE, assertNoInjectedElements, click, mountWidget, mustQuery, parseSse, rec } from "./helpers";
import parallelSse from "./fixtures/parallel.sse?raw";
import nestedSse from "./fixtures/nested.sse?raw";
import updatesSse from "./fixtures/updates.sse?raw";

afterEach(() => document.body.replaceChildren());

function setup(schedule?: FrameScheduler) {
  const store = new EventStore();
  const gone: number[] = [];
  const w = createWaterfall(store, { goto: (seq) => gone.push(seq), ...(schedule ? { schedule } : {}) });
  document.body.append(w.el);
  return { store, w, gone };
}

const bars = (root: ParentNode) => [...root.querySelectorAll<HTMLElement>("[data-lgw-span]")];

describe("waterfall", () => {
  it("stays hidden until a span exists, then summarizes while collapsed", () => {
    const { store, w } = setup();
    expect(w.el.hidden).toBe(true);
    store.append(0, [rec(0, "metadata", { run_id: "r" })]);
    expect(w.el.hidden).toBe(true);
    store.append(1, parseSse(parallelSse).slice(1));
    expect(w.el.hidden).toBe(false);
    expect(w.el.dataset.lgwSource).toBe("debug");
    expect(mustQuery(w.el, ".lgw-waterfall-summary").textContent).toBe(" · 5 tasks · server timestamps (debug)");
    expect(bars(w.el)).toEqual([]); // nothing built while closed
  });

  it("draws one bar per task, parallel tasks in their own lanes, with duration and source", () => {
    const { store, w, gone } = setup();
    store.append(0, parseSse(parallelSse));
    click(mustQuery(w.el, ".lgw-waterfall-toggle"));
    expect(w.isOpen).toBe(true);
    const rows = [...w.el.querySelectorAll<HTMLElement>(".lgw-waterfall-row")];
    expect(rows.map((r) => [...r.querySelectorAll<HTMLElement>("[data-lgw-span]")].map((b) => b.dataset.lgwSpan))).toEqual([
      ["plan", "fetch_a", "merge"],
      ["fetch_b"],
      ["fetch_c"],
    ]);
    const b = bars(w.el).find((x) => x.dataset.lgwSpan === "fetch_b")!;
    expect(b.title).toBe("fetch_b · 127 ms · step 2 · server timestamps (debug) · event #11");
    // fetch_b ends last but merge: its bar ends before merge's starts.
    const left = (x: HTMLElement) => parseFloat(x.style.left);
    const merge = bars(w.el).find((x) => x.dataset.lgwSpan === "merge")!;
    expect(left(merge)).toBeGreaterThan(left(b));
    click(b);
    expect(gone).toEqual([11]);
    const table = [...w.el.querySelectorAll<HTMLElement>("[data-lgw-node-stats]")].map((tr) => [...tr.children].map((c) => c.textContent));
    expect(table[0]).toEqual(["fetch_b", "1", "127 ms", "127 ms"]);
    expect(table.map((r) => r[0])).toEqual(["fetch_b", "fetch_a", "fetch_c", "plan", "merge"]);
  });

  it("indents subgraph groups under their parent", () => {
    const { store, w } = setup();
    store.append(0, parseSse(nestedSse));
    w.setOpen(true);
    const rows = [...w.el.querySelectorAll<HTMLElement>(".lgw-waterfall-row")];
    expect(rows.map((r) => [r.dataset.lgwGroup, r.dataset.lgwDepth, r.querySelector(".lgw-waterfall-label")!.textContent])).toEqual([
      ["", "0", "graph"],
      ["team", "1", "team"],
      ["team › research", "2", "research"],
    ]);
    expect(treeOrder(["team › research", "b", "", "team"])).toEqual(["", "team", "team › research", "b"]);
  });

  it("labels spans from arrival gaps as approximate", () => {
    const { store, w } = setup();
    store.append(0, parseSse(updatesSse));
    w.setOpen(true);
    expect(w.el.dataset.lgwSource).toBe("arrival");
    expect(mustQuery(w.el, ".lgw-waterfall-caption").textContent).toBe("≈ from arrival gaps");
    expect(bars(w.el).every((b) => b.title.includes("≈ from arrival gaps"))).toBe(true);
  });

  it("draws the last MAX_BARS spans of a long run and says so", () => {
    const { store, w } = setup();
    const n = MAX_BARS + 200;
    store.append(0, Array.from({ length: n }, (_, i) => rec(i, "updates", { tick: {} }, { t: i * 0.01 })));
    w.setOpen(true);
    expect(bars(w.el)).toHaveLength(MAX_BARS);
    expect(bars(w.el)[0]!.dataset.seq).toBe(String(n - MAX_BARS));
    expect(mustQuery(w.el, ".lgw-waterfall-caption").textContent).toBe(`≈ from arrival gaps · showing the last ${MAX_BARS} spans of ${n}`);
    expect(mustQuery(w.el, "[data-lgw-node-stats]").children[1]!.textContent).toBe(String(n));
  });

  it("renders at most once per frame", () => {
    const frames: Array<() => void> = [];
    const { store, w } = setup((cb) => frames.push(cb));
    w.setOpen(true);
    const records = parseSse(parallelSse);
    for (const r of records) store.append(r.seq, [r]);
    expect(frames).toHaveLength(1);
    expect(bars(w.el)).toEqual([]);
    frames.shift()!();
    expect(bars(w.el)).toHaveLength(5);
  });

  it("shows a running task up to the newest event and hostile names as text", () => {
    const { store, w } = setup();
    store.append(0, [rec(0, "tasks", { id: "1", name: HOSTILE[0], input: {}, triggers: [] }), rec(1, "custom", "x", { t: 2 })]);
    w.setOpen(true);
    const [b] = bars(w.el);
    expect(b!.dataset.status).toBe("running");
    expect(b!.textContent).toBe(HOSTILE[0]);
    expect(b!.title).toContain("running for 2.00 s");
    assertNoInjectedElements(w.el);
  });
});

describe("header timing", () => {
  it("shows the time to the first event and, once ended, the total", () => {
    const model = new FakeModel({ status: "streaming", started: 1000 });
    const store = new EventStore();
    const header = createHeader(model, store, { now: () => 3000 });
    const ttfe = mustQuery(header.el, "[data-lgw-ttfe], .lgw-ttfe");
    expect(ttfe.hidden).toBe(true);
    store.append(0, [rec(0, "metadata", {}, { t: 0.912 }), rec(1, "updates", {}, { t: 1.5 })]);
    expect(ttfe.hidden).toBe(false);
    expect(ttfe.dataset.lgwTtfe).toBe("0.912");
    expect(ttfe.textContent).toBe("first event +0.91 s");
    const elapsed = mustQuery(header.el, ".lgw-elapsed");
    expect(elapsed.dataset.lgwTotal).toBeUndefined(); // live: a running clock, not a total
    model.set({ status: "done", elapsed: 1.75 });
    expect(elapsed.dataset.lgwTotal).toBe("1.750");
    expect(elapsed.textContent).toBe("1.8 s");
    header.destroy();
  });
});

describe("widget", () => {
  it("puts the timing panel above the timeline and goes to a bar's event", () => {
    const model = new FakeModel({ status: "done" });
    const kernel = new FakeKernel(model);
    const el = mountWidget(model);
    kernel.push(...parseSse(parallelSse));
    const panel = mustQuery(el, "[data-lgw-waterfall]");
    expect(panel.hidden).toBe(false);
    expect(panel.compareDocumentPosition(mustQuery(el, ".lgw-scroller")) & Node.DOCUMENT_POSITION_FOLLOWING).toBeTruthy();
    click(mustQuery(panel, ".lgw-waterfall-toggle"));
    click(bars(panel).find((b) => b.dataset.lgwSpan === "merge"));
    expect(mustQuery(el, "[data-lgw-marked]").dataset.lgwMarked).toBe("25");
  });
});
