// Find: which events and rows a filter keeps (model/filter.ts), and the
// virtualized list scrolling over only the matching rows.

import { describe, expect, it } from "vitest";
import { FilterState } from "../src/filter";
import { EventFilter, eventKind, rowNodes } from "../src/model/filter";
import { TimelineModel } from "../src/model/rows";
import { dataText, decodeEvents } from "../src/records";
import { createTimeline } from "../src/render/timeline";
import type { Viewport } from "../src/render/timeline/virtual";
import { EventStore } from "../src/store";
import type { EventRecord } from "../src/types";
import { rec, recs, wire } from "./helpers";

const ai = (id: string, content: string) => ({ type: "ai", id, content });
/** A messages-mode token of node `node` (messages-tuple: chunk and metadata). */
const token = (id: string, content: string, node = "agent") => [{ type: "AIMessageChunk", id, content }, { langgraph_node: node }];

/** A run: agent streams tokens then updates, the tools node updates, custom and values events. */
function run(): EventRecord[] {
  return recs([
    ["metadata", { run_id: "r1" }],
    ["messages", token("m1", "Sunny")],
    ["messages", token("m1", " in LA")],
    ["updates", { agent: { messages: [ai("m1", "Sunny in LA")] } }],
    ["updates", { tools: { messages: [{ type: "tool", id: "t1", content: "72F and SUNNY" }] } }],
    ["custom", { progress: "half way" }],
    ["values", { messages: [] }],
    ["updates", { agent: { messages: [ai("m2", "done")] }, tools: {} }],
  ]);
}

function setup(events: EventRecord[]) {
  const store = new EventStore();
  store.append(0, events);
  const model = new TimelineModel();
  for (let i = 0; i < store.length; i++) model.ingest(store.get(i)!);
  const filter = new EventFilter(model, store);
  filter.update();
  return { store, model, filter };
}

const f = (change: { node?: string | null; kinds?: string[]; text?: string }) => ({
  node: change.node ?? null,
  kinds: new Set(change.kinds ?? []),
  text: change.text ?? "",
});

describe("event kinds and row nodes", () => {
  it("groups the messages modes under one kind", () => {
    expect(eventKind(rec(0, "messages/partial", []))).toBe("messages");
    expect(eventKind(rec(0, "updates|sub:1", {}))).toBe("updates");
    expect(eventKind(rec(0, "input.requested", {}))).toBe("input.requested");
  });

  it("names a row's top-level nodes as the timeline placed them", () => {
    const { model } = setup(run());
    expect(model.rows.map((r) => rowNodes(r))).toEqual([[], ["agent"], ["tools"], [], [], ["agent", "tools"]]);
  });
});

describe("EventFilter", () => {
  it("matches everything and lists what it saw when no filter is set", () => {
    const { filter } = setup(run());
    expect(filter.active).toBe(false);
    expect(filter.matched).toBe(8);
    expect(filter.nodes()).toEqual(["agent", "tools"]);
    expect(filter.kinds()).toEqual(["metadata", "messages", "updates", "custom", "values"]);
  });

  it("keeps the rows of one node, tokens of its entry included", () => {
    const { filter } = setup(run());
    filter.set(f({ node: "agent" }));
    // The agent's entry (tokens + update) and the update of both nodes.
    expect(filter.rows).toEqual([1, 5]);
    expect(filter.matched).toBe(4);
  });

  it("keeps events of the chosen kinds", () => {
    const { filter } = setup(run());
    filter.set(f({ kinds: ["custom", "values"] }));
    expect(filter.rows).toEqual([3, 4]);
    filter.set(f({ kinds: ["messages"] }));
    expect(filter.rows).toEqual([1]);
    expect(filter.matched).toBe(2);
  });

  it("searches the data text, case-insensitively, combined with the other fields", () => {
    const { filter } = setup(run());
    filter.set(f({ text: "sunny" }));
    expect(filter.rows).toEqual([1, 2]);
    filter.set(f({ text: "  SUNNY in " }));
    expect(filter.rows).toEqual([1]);
    filter.set(f({ text: "sunny", node: "tools" }));
    expect(filter.rows).toEqual([2]);
    filter.set(f({ text: "sunny", kinds: ["custom"] }));
    expect(filter.rows).toEqual([]);
    expect(filter.matched).toBe(0);
  });

  it("takes new events incrementally: appended rows, and an earlier row that starts to match", () => {
    const store = new EventStore();
    const model = new TimelineModel();
    const filter = new EventFilter(model, store);
    filter.set(f({ text: "needle" }));
    const take = (events: EventRecord[]) => {
      store.append(store.length, events);
      for (let i = model.length; i < store.length; i++) model.ingest(store.get(i)!);
      return filter.update();
    };
    expect(take([rec(0, "custom", "hay")])).toBe("none");
    // The agent's entry opens with a token that does not match; a custom event comes after it.
    expect(take([rec(1, "messages", token("m", "hay")), rec(2, "custom", "a needle")])).toBe("append");
    expect(filter.rows).toEqual([2]);
    // The agent's entry (row 1) now gets a matching token: inserted before row 2.
    expect(take([rec(3, "messages", token("m", " and needle"))])).toBe("insert");
    expect(filter.rows).toEqual([1, 2]);
    expect(filter.position(2)).toBe(1);
    expect(filter.position(0)).toBe(-1);
    expect(filter.nearest(0)).toBe(0);
    expect(filter.matched).toBe(2);
  });

  it("finds text in 50,000 lazy events, decoding each once however many searches", () => {
    const N = 50_000;
    const records = Array.from({ length: N }, (_, i) =>
      rec(i, "updates", { [`node${i % 5}`]: { text: i % 1000 === 7 ? `the Needle ${i}` : `hay ${i} `.repeat(20) } }),
    );
    const { events, bytes } = wire(records);
    const store = new EventStore();
    store.append(0, decodeEvents(0, events, bytes).records);
    const model = new TimelineModel();
    for (let i = 0; i < N; i++) model.ingest(store.get(i)!);
    let decoded = 0;
    const filter = new EventFilter(model, store, (ev) => {
      decoded++;
      return dataText(ev);
    });
    filter.update();
    const started = performance.now();
    for (const text of ["n", "ne", "nee", "needl", "needle", "NEEDLE 4"]) filter.set(f({ text }));
    const rows = filter.rows.map((r) => model.rows[r]!.seq);
    const elapsed = performance.now() - started;
    expect(decoded).toBe(N);
    expect(rows).toEqual([4007, 40007, 41007, 42007, 43007, 44007, 45007, 46007, 47007, 48007, 49007]);
    expect(filter.matched).toBe(11);
    // Six searches over ~9 MB of text; generous for a loaded 2-core machine.
    expect(elapsed).toBeLessThan(5000);
  });
});

/** A 400 px viewport where every row is 20 px. */
class Rows20 implements Viewport {
  top = 0;
  constructor(readonly list: HTMLElement) {}
  height() {
    return 400;
  }
  scrollTop() {
    return this.top;
  }
  setScrollTop(px: number) {
    const content = parseFloat(this.list.style.paddingTop || "0") + parseFloat(this.list.style.paddingBottom || "0") + 20 * this.list.childElementCount;
    this.top = Math.max(0, Math.min(px, content - 400));
  }
  measure() {
    return 20;
  }
  offsetIn() {
    return 0;
  }
}

describe("the timeline with a filter", () => {
  function mount(n: number) {
    const store = new EventStore();
    const filter = new FilterState();
    let vp: Rows20 | null = null;
    const tl = createTimeline(store, { filter, viewport: (_s, list) => (vp = new Rows20(list)) });
    store.append(0, Array.from({ length: n }, (_, i) => rec(i, "updates", { [i % 10 === 3 ? "rare" : "common"]: { i } })));
    tl.flush();
    const seqs = () => [...tl.el.children].map((c) => Number((c as HTMLElement).dataset.lgwSeq));
    return { store, filter, tl, vp: vp! as Rows20, seqs };
  }

  it("scrolls over only the matching rows, with the DOM bounded, and back to all on clear", () => {
    const { store, filter, tl, vp, seqs } = mount(5000);
    expect(tl.stats().visible).toBe(5000);
    const everyRow = tl.stats().total;
    filter.set({ node: "rare" });
    tl.flush();
    expect(tl.stats().visible).toBe(500);
    expect(tl.stats().matched).toBe(500);
    // The list is as tall as the matching rows (measured 20 px, or estimated).
    expect(tl.stats().total).toBeLessThan(everyRow / 5);
    expect(tl.stats().total).toBeGreaterThanOrEqual(500 * 20);
    expect(seqs().every((s) => s % 10 === 3)).toBe(true);
    expect(tl.el.childElementCount).toBeLessThanOrEqual(60);
    // Following: the newest matching rows; padding stands for the rest.
    expect(seqs().at(-1)).toBe(4993);
    expect(parseFloat(tl.el.style.paddingTop)).toBeCloseTo(tl.stats().total - tl.el.childElementCount * 20);
    // Appending a batch adds only its matching rows at the end.
    store.append(5000, [rec(5000, "updates", { common: {} }), rec(5001, "updates", { rare: {} })]);
    tl.flush();
    expect(tl.stats().visible).toBe(501);
    expect(seqs().at(-1)).toBe(5001);
    // Scrolled to the top of the filtered list: its first rows.
    vp.setScrollTop(0);
    tl.el.parentElement!.dispatchEvent(new Event("scroll"));
    tl.flush();
    expect(seqs()[0]).toBe(3);
    expect(tl.el.firstElementChild!.getAttribute("aria-posinset")).toBe("1");
    expect(tl.el.firstElementChild!.getAttribute("aria-setsize")).toBe("501");
    filter.clear();
    tl.flush();
    expect(tl.stats().visible).toBe(5002);
    expect(tl.find().active).toBe(false);
  });

  it("goes to an event the filter hides by clearing the filter", () => {
    const { filter, tl } = mount(100);
    filter.set({ node: "rare" });
    tl.flush();
    expect(tl.goto(50)).toBe(true);
    tl.flush();
    expect(filter.active).toBe(false);
    expect(tl.el.querySelector('[data-lgw-marked="50"]')).not.toBeNull();
  });

  it("shows a filter set before the events arrive", () => {
    const store = new EventStore();
    const filter = new FilterState();
    filter.set({ kinds: new Set(["custom"]) });
    const tl = createTimeline(store, { filter });
    store.append(0, [rec(0, "updates", { a: {} }), rec(1, "custom", "x"), rec(2, "updates", { b: {} })]);
    tl.flush();
    expect([...tl.el.children].map((c) => (c as HTMLElement).dataset.lgwSeq)).toEqual(["1"]);
  });
});
