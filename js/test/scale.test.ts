// The page at scale: 50,000 events in bursts through the whole widget (v2
// wire format), a virtualized list with a bounded DOM, follow / jump to
// latest / go to #. jsdom has no layout, so the list gets a fake viewport:
// a 600 px window and row heights that depend on the row (variable).

import { afterEach, describe, expect, it } from "vitest";
import widget from "../src/index";
import { GROUP_PAGE } from "../src/render/events";
import { CHILDREN_SHOWN } from "../src/render/row";
import { MAX_MOUNTED, ROW_ESTIMATE, type Timeline } from "../src/render/timeline";
import type { Viewport } from "../src/render/timeline/virtual";
import { Heights } from "../src/render/timeline/virtual";
import type { FrameScheduler } from "../src/frame";
import { createView, type View } from "../src/view";
import { FakeKernel, FakeModel, mustQuery, rec } from "./helpers";
import type { EventRecord } from "../src/types";

/** A 600 px viewport over the list; a row's height follows its seq (20 to 68 px). */
class FakeViewport implements Viewport {
  top = 0;
  visible = 600;
  measured = 0;

  /** `el`: the list (rows and spacer padding). */
  constructor(readonly el: HTMLElement) {}

  static rowHeight(el: HTMLElement): number {
    const seq = Number(el.dataset.lgwSeq ?? 0);
    return 20 + (seq % 7) * 8;
  }

  height(): number {
    return this.visible;
  }
  scrollTop(): number {
    return this.top;
  }
  setScrollTop(px: number): void {
    this.top = Math.max(0, Math.min(px, Math.max(0, this.content() - this.visible)));
  }
  measure(el: HTMLElement): number {
    this.measured++;
    return FakeViewport.rowHeight(el);
  }
  offsetIn(): number {
    return 0;
  }

  /** Height of the scrolled content: the spacers and the rows in the DOM. */
  content(): number {
    let sum = parseFloat(this.el.style.paddingTop || "0") + parseFloat(this.el.style.paddingBottom || "0");
    for (const child of this.el.children) sum += FakeViewport.rowHeight(child as HTMLElement);
    return sum;
  }

  /** Where row element `el` is, relative to the top of the viewport. */
  y(el: Element): number {
    let y = parseFloat(this.el.style.paddingTop || "0");
    for (const child of this.el.children) {
      if (child === el) return y - this.top;
      y += FakeViewport.rowHeight(child as HTMLElement);
    }
    throw new Error("not in the list");
  }

  /** The user scrolls. */
  scrollTo(px: number): void {
    this.setScrollTop(px);
    this.el.parentElement!.dispatchEvent(new Event("scroll"));
  }
}

/** Frames run when the test says (like animation frames, coalescing appends). */
class ManualFrames {
  private queue: Array<() => void> = [];
  readonly schedule: FrameScheduler = (cb) => {
    this.queue.push(cb);
  };
  get pending(): number {
    return this.queue.length;
  }
  /** One frame: what was queued before it. */
  step(): void {
    const q = this.queue;
    this.queue = [];
    for (const cb of q) cb();
  }
  run(): void {
    for (let i = 0; i < 10 && this.queue.length; i++) {
      const q = this.queue;
      this.queue = [];
      for (const cb of q) cb();
    }
  }
}

const N = 50_000;
const BURST = 2_000;

function tick(i: number): EventRecord {
  return rec(i, "updates", { tick: { i, label: `tick ${i}` } });
}

const views: View[] = [];
afterEach(() => {
  while (views.length) views.pop()!.destroy();
  document.body.replaceChildren();
});

/** `budgetMs`: the routing budget per frame (default: the timeline's, which depends on the machine's speed). */
function mount(frames?: ManualFrames, budgetMs?: number) {
  const model = new FakeModel({ status: "streaming", started: Date.now() });
  const kernel = new FakeKernel(model);
  const el = document.createElement("div");
  document.body.append(el);
  let vp: FakeViewport | null = null;
  const view = createView(model, el, {
    viewport: (_scroller, list) => (vp = new FakeViewport(list)),
    ...(frames ? { schedule: frames.schedule } : {}),
    ...(budgetMs !== undefined ? { budgetMs } : {}),
  });
  views.push(view);
  const tl: Timeline = view.timeline;
  const seqs = () => [...tl.el.children].map((c) => Number((c as HTMLElement).dataset.lgwSeq));
  return { model, kernel, view, tl, vp: vp! as FakeViewport, root: view.root, seqs };
}

function feed(kernel: FakeKernel, from: number, to: number, after?: () => void) {
  for (let start = from; start < to; start += BURST) {
    const batch = [];
    for (let i = start; i < Math.min(to, start + BURST); i++) batch.push(tick(i));
    kernel.push(...batch);
    after?.();
  }
}

describe("row heights (Fenwick tree)", () => {
  it("gives offsets and finds rows by offset, through growth", () => {
    const hs = new Heights();
    const plain: number[] = [];
    for (let i = 0; i < 5000; i++) {
      const h = 10 + (i % 13);
      hs.push(h);
      plain.push(h);
    }
    for (let i = 0; i < 5000; i += 7) {
      hs.set(i, 3 + (i % 5));
      plain[i] = 3 + (i % 5);
    }
    let sum = 0;
    for (let i = 0; i < plain.length; i++) {
      expect(hs.offset(i)).toBe(sum);
      expect(hs.find(sum)).toBe(i);
      expect(hs.find(sum + plain[i]! - 0.5)).toBe(i);
      sum += plain[i]!;
    }
    expect(hs.total).toBe(sum);
    expect(hs.find(sum + 100)).toBe(plain.length - 1);
  });
});

describe("50,000 events", () => {
  it("are all held, in order, and the DOM stays bounded while they stream in", () => {
    const { kernel, view, tl, root, seqs } = mount();
    let maxElements = 0;
    let maxRows = 0;
    feed(kernel, 0, N, () => {
      maxElements = Math.max(maxElements, root.querySelectorAll("*").length);
      maxRows = Math.max(maxRows, tl.el.childElementCount);
    });
    expect(root.dataset.count).toBe(String(N));
    expect(view.store.length).toBe(N);
    for (let i = 0; i < N; i++) {
      const ev = view.store.get(i)!;
      if (ev.seq !== i || (ev.data as { tick: { i: number } }).tick.i !== i) throw new Error(`event ${i} is wrong`);
    }
    expect(tl.stats().rows).toBe(N);
    expect(maxRows).toBeLessThanOrEqual(MAX_MOUNTED);
    expect(maxElements).toBeLessThan(1500);
    // Following: the newest rows are the ones shown.
    expect(tl.following).toBe(true);
    expect(seqs().at(-1)).toBe(N - 1);
    expect(mustQuery(root, '.lgw-entry[data-lgw-seq="49999"]').dataset.lgwNode).toBe("tick");
  });

  it("cost the same per burst at the end as at the start (no work over what is held)", () => {
    const frames = new ManualFrames();
    // No time budget: each burst is placed in its frame however busy the machine is.
    const { kernel, tl, vp } = mount(frames, Infinity);
    const measuredPerFrame: number[] = [];
    feed(kernel, 0, N, () => {
      const before = vp.measured;
      frames.run();
      measuredPerFrame.push(vp.measured - before);
    });
    expect(tl.stats().routed).toBe(N);
    // Only rows in the DOM are measured, whatever the length of the list.
    expect(Math.max(...measuredPerFrame)).toBeLessThanOrEqual(MAX_MOUNTED * 4);
    expect(measuredPerFrame.at(-1)).toBeLessThanOrEqual(measuredPerFrame[1]! * 1.5);
  });

  it("appends in bursts are coalesced into one frame", () => {
    const frames = new ManualFrames();
    const { kernel, tl, seqs, root } = mount(frames);
    feed(kernel, 0, 10 * BURST);
    // Nothing built yet, but every event is held.
    expect(root.dataset.count).toBe(String(10 * BURST));
    expect(tl.el.childElementCount).toBe(0);
    expect(frames.pending).toBe(1);
    frames.run();
    expect(seqs().at(-1)).toBe(10 * BURST - 1);
    expect(tl.el.childElementCount).toBeLessThanOrEqual(MAX_MOUNTED);
  });

  it("a frame that spends its routing budget leaves the rows to the next frame; every event lands, in order", () => {
    const frames = new ManualFrames();
    // No time at all: each frame places one clock check's worth of events (16).
    const { kernel, view, tl, seqs } = mount(frames, 0);
    feed(kernel, 0, 200);
    frames.step();
    expect(tl.stats().routed).toBe(16);
    expect(tl.el.childElementCount).toBe(0); // routed only
    frames.step();
    expect(tl.stats().routed).toBe(16); // built only
    expect(seqs().at(-1)).toBe(15);
    frames.step();
    expect(tl.stats().routed).toBe(32);
    expect(seqs().at(-1)).toBe(15);
    for (let i = 0; i < 100 && frames.pending; i++) frames.step();
    expect(tl.stats().routed).toBe(200);
    expect(tl.stats().rows).toBe(200);
    expect(seqs().at(-1)).toBe(199);
    const ordered = seqs();
    expect(ordered).toEqual([...ordered].sort((a, b) => a - b));
    expect(view.waterfall.model.seen).toBe(200);
    expect(view.waterfall.model.arrival.spans.map((s) => s.seq)).toEqual(Array.from({ length: 200 }, (_, i) => i));
  });

  it("following, a burst past every row in the DOM builds the rows in view, and the next frame the margin above them", () => {
    const frames = new ManualFrames();
    const { kernel, tl, vp, seqs } = mount(frames, Infinity);
    feed(kernel, 0, BURST);
    frames.run();
    const settled = tl.el.childElementCount;
    expect(frames.pending).toBe(0);
    // The whole window: rows above the viewport too.
    expect(vp.y(tl.el.firstElementChild!)).toBeLessThan(-100);

    feed(kernel, BURST, 2 * BURST);
    frames.step();
    expect(seqs().at(-1)).toBe(2 * BURST - 1);
    const rows = [...tl.el.children];
    expect(rows.length).toBeLessThan(settled);
    for (const row of rows) {
      expect(vp.y(row) + FakeViewport.rowHeight(row as HTMLElement)).toBeGreaterThan(0);
      expect(vp.y(row)).toBeLessThan(vp.visible);
    }
    expect(frames.pending).toBe(1);

    frames.step();
    expect(seqs().at(-1)).toBe(2 * BURST - 1);
    expect(tl.el.childElementCount).toBeGreaterThan(rows.length);
    expect(vp.y(tl.el.firstElementChild!)).toBeLessThan(-100);
    expect(vp.top).toBeCloseTo(vp.content() - vp.visible, 5);
    frames.run();
    expect(frames.pending).toBe(0);
  });

  it("a user's action builds the whole window at once, the margin above the rows in view too", () => {
    const frames = new ManualFrames();
    const { kernel, view, tl, vp, seqs } = mount(frames, Infinity);
    feed(kernel, 0, BURST);
    frames.run();
    const settled = seqs();
    view.filter.set({ text: "tick 1999" });
    expect(seqs()).toEqual([BURST - 1]);
    view.filter.clear();
    expect(seqs()).toEqual(settled);
    expect(vp.y(tl.el.firstElementChild!)).toBeLessThan(-100);
  });

  it("a reloaded page taking 50,000 events at once places them over several frames", () => {
    const frames = new ManualFrames();
    const model = new FakeModel({ status: "done" });
    const kernel = new FakeKernel(model);
    for (let i = 0; i < N; i++) kernel.events.push(tick(i));
    const el = document.createElement("div");
    document.body.append(el);
    const view = createView(model, el, { viewport: (_s, list) => new FakeViewport(list), schedule: frames.schedule, budgetMs: 5 });
    views.push(view);
    expect(view.store.length).toBe(N); // the hello answer
    frames.run();
    expect(view.timeline.stats().routed).toBeGreaterThan(0);
    view.timeline.flush();
    expect(view.timeline.stats().routed).toBe(N);
    expect([...view.timeline.el.children].map((c) => (c as HTMLElement).dataset.lgwSeq).at(-1)).toBe(String(N - 1));
  });
});

describe("follow, jump to latest, go to #", () => {
  it("scrolling up stops following and keeps the rows in view still while events arrive", () => {
    const { kernel, tl, vp, root, seqs } = mount();
    feed(kernel, 0, 20_000);
    const latest = mustQuery<HTMLButtonElement>(root, 'button[data-lgw-action="latest"]');
    expect(latest.hidden).toBe(true);
    expect(tl.el.dataset.lgwFollow).toBe("true");

    vp.scrollTo(vp.top - 3000);
    expect(tl.following).toBe(false);
    expect(tl.el.dataset.lgwFollow).toBe("false");
    expect(latest.hidden).toBe(false);

    // The row at the top of the viewport, and where it is.
    const topRow = [...tl.el.children].find((c) => vp.y(c) + FakeViewport.rowHeight(c as HTMLElement) > 0)!;
    const seq = (topRow as HTMLElement).dataset.lgwSeq;
    const y = vp.y(topRow);
    feed(kernel, 20_000, 30_000);
    const same = mustQuery(tl.el, `:scope > [data-lgw-seq="${seq}"]`);
    expect(vp.y(same)).toBeCloseTo(y, 5);
    expect(seqs()).not.toContain(29_999);
    expect(tl.el.childElementCount).toBeLessThanOrEqual(MAX_MOUNTED);

    latest.click();
    expect(tl.following).toBe(true);
    expect(latest.hidden).toBe(true);
    expect(seqs().at(-1)).toBe(29_999);
    expect(vp.top).toBeCloseTo(vp.content() - vp.visible, 5);
    feed(kernel, 30_000, 32_000);
    expect(seqs().at(-1)).toBe(31_999);
  });

  it("a scroll position the browser reset (the list detached and shown again) is restored", () => {
    const { kernel, tl, vp } = mount();
    feed(kernel, 0, 4000);
    vp.scrollTo(vp.top - 1000);
    const top = vp.top;
    vp.top = 0; // no scroll event: not the user
    feed(kernel, 4000, 6000);
    expect(tl.following).toBe(false);
    expect(vp.top).toBeCloseTo(top, 5);
  });

  it("scrolling back to the end follows again", () => {
    const { kernel, tl, vp } = mount();
    feed(kernel, 0, 4000);
    vp.scrollTo(vp.top - 500);
    expect(tl.following).toBe(false);
    vp.scrollTo(vp.content());
    expect(tl.following).toBe(true);
  });

  it("go to # shows and marks the row holding that seq, wherever it is", () => {
    const { kernel, tl, vp, root, seqs } = mount();
    feed(kernel, 0, N);
    const input = mustQuery<HTMLInputElement>(root, "input[data-lgw-goto]");
    const go = (n: number) => {
      input.value = String(n);
      input.dispatchEvent(new KeyboardEvent("keydown", { key: "Enter" }));
    };
    for (const n of [0, 25_000, 49_999, 12_345, 0]) {
      go(n);
      expect(tl.following).toBe(false);
      const el = mustQuery(tl.el, `:scope > [data-lgw-seq="${n}"]`);
      expect(el.dataset.lgwMarked).toBe(String(n));
      expect(el.classList.contains("lgw-goto-target")).toBe(true);
      expect(root.querySelectorAll("[data-lgw-marked]")).toHaveLength(1);
      // In view: its top within the viewport.
      const y = vp.y(el);
      expect(y).toBeGreaterThanOrEqual(0);
      expect(y).toBeLessThan(vp.visible);
      expect(tl.el.childElementCount).toBeLessThanOrEqual(MAX_MOUNTED);
    }
    expect(seqs()).toContain(0);
    // Out of range: the nearest end.
    go(10 ** 9);
    expect(mustQuery(tl.el, ':scope > [data-lgw-seq="49999"]').dataset.lgwMarked).toBe("49999");
  });

  it("scrolling up from a go-to measures the rows above without moving the row in view", () => {
    const { kernel, tl, vp } = mount();
    feed(kernel, 0, 30_000);
    tl.goto(20_000);
    // Rows above were never measured: estimated at ROW_ESTIMATE until now.
    expect(ROW_ESTIMATE).toBeGreaterThan(0);
    for (let k = 0; k < 20; k++) {
      const rows = [...tl.el.children];
      const anchor = rows.find((c) => vp.y(c) + FakeViewport.rowHeight(c as HTMLElement) > 300)!;
      const seq = (anchor as HTMLElement).dataset.lgwSeq;
      const y = vp.y(anchor);
      vp.scrollTo(vp.top - 200);
      const again = mustQuery(tl.el, `:scope > [data-lgw-seq="${seq}"]`);
      expect(vp.y(again)).toBeCloseTo(y + 200, 5);
    }
    expect(tl.following).toBe(false);
  });

  it("every row can be reached by scrolling: the list's height is the sum of the rows'", () => {
    const { kernel, tl, vp, seqs } = mount();
    feed(kernel, 0, 3000);
    vp.scrollTo(0);
    expect(seqs()[0]).toBe(0);
    // Scroll down a viewport at a time: rows come in order, none skipped.
    const seen = new Set<number>();
    for (let guard = 0; guard < 2000 && !seen.has(2999); guard++) {
      for (const c of tl.el.children) {
        const y = vp.y(c);
        if (y >= 0 && y < vp.visible) seen.add(Number((c as HTMLElement).dataset.lgwSeq));
      }
      vp.scrollTo(vp.top + vp.visible - 50);
    }
    expect(seen.size).toBe(3000);
    let expected = 0;
    for (let i = 0; i < 3000; i++) expected += 20 + (i % 7) * 8;
    expect(tl.stats().total).toBeCloseTo(expected, 5);
  });

  it("the widget's nav appears with the first event", () => {
    const model = new FakeModel({ status: "streaming" });
    const kernel = new FakeKernel(model);
    const el = document.createElement("div");
    document.body.append(el);
    const cleanup = widget.render!({ model, el } as never);
    const nav = mustQuery(el, ".lgw-nav");
    expect(nav.hidden).toBe(true);
    kernel.push(tick(0));
    expect(nav.hidden).toBe(false);
    if (typeof cleanup === "function") cleanup();
  });

  it("a node entry that ran a long subgraph keeps its latest entries in the DOM and builds earlier ones on demand", () => {
    const { kernel, tl, root } = mount();
    const M = 5000;
    let maxNested = 0;
    const nested = () => root.querySelectorAll(".lgw-children > .lgw-entry").length;
    for (let start = 0; start < M; start += 500) {
      kernel.push(...Array.from({ length: 500 }, (_, k) => rec(start + k, "updates|research:t1", { step: { i: start + k } })));
      maxNested = Math.max(maxNested, nested());
    }
    kernel.push(rec(M, "updates", { research: { summary: "done" } }));
    expect(tl.stats().rows).toBe(1);
    const entry = mustQuery(tl.el, ':scope > .lgw-node-entry[data-lgw-node="research"]');
    expect(entry.dataset.lgwEvent).toBe("updates");
    expect(entry.dataset.lgwSeq).toBe(String(M));
    expect(maxNested).toBeLessThanOrEqual(2 * CHILDREN_SHOWN);
    expect(root.querySelectorAll("*").length).toBeLessThan(1500);
    const list = mustQuery(entry, ".lgw-children");
    const seqsIn = () => [...list.querySelectorAll<HTMLElement>(":scope > .lgw-entry")].map((e) => Number(e.dataset.lgwSeq));
    expect(seqsIn().at(-1)).toBe(M - 1);
    const earlier = mustQuery<HTMLButtonElement>(list, ":scope > button.lgw-earlier");
    const hidden = Number(earlier.dataset.lgwHidden);
    expect(hidden + seqsIn().length).toBe(M);
    expect(earlier.textContent).toContain("not shown");
    earlier.click();
    expect(seqsIn().length).toBe(M - hidden + CHILDREN_SHOWN);
    expect(seqsIn()).toEqual([...seqsIn()].sort((a, b) => a - b));
    // Go to # reaches an entry far from those shown: a window around it, the rest behind buttons.
    tl.goto(7);
    const target = mustQuery(entry, '.lgw-entry[data-lgw-seq="7"]');
    expect(target.dataset.lgwMarked).toBe("7");
    expect(seqsIn()).toEqual(Array.from({ length: CHILDREN_SHOWN }, (_, i) => 2 + i));
    expect(mustQuery(list, ":scope > button.lgw-earlier").dataset.lgwHidden).toBe("2");
    const later = mustQuery<HTMLButtonElement>(list, ":scope > button.lgw-later");
    expect(later.dataset.lgwHidden).toBe(String(M - 2 - CHILDREN_SHOWN));
    later.click();
    expect(seqsIn().length).toBe(2 * CHILDREN_SHOWN);
    // A go-to near the window builds the gap.
    tl.goto(2 + 2 * CHILDREN_SHOWN + 20);
    expect(seqsIn().at(-1)).toBeGreaterThanOrEqual(2 + 2 * CHILDREN_SHOWN + 20);
    expect(seqsIn()).toEqual(Array.from({ length: seqsIn().length }, (_, i) => 2 + i));
    expect(root.querySelectorAll("[data-lgw-marked]")).toHaveLength(1);
  });

  it("a long subgraph that keeps streaming while an earlier part is shown does not grow the DOM", () => {
    const { kernel, tl, root } = mount();
    const push = (from: number, n: number) =>
      kernel.push(...Array.from({ length: n }, (_, k) => rec(from + k, "updates|research:t1", { step: { i: from + k } })));
    push(0, 1000);
    tl.goto(10);
    const before = root.querySelectorAll(".lgw-children > .lgw-entry").length;
    push(1000, 2000);
    expect(root.querySelectorAll(".lgw-children > .lgw-entry").length).toBe(before);
    expect(mustQuery(root, "button.lgw-later").dataset.lgwHidden).toBe(String(3000 - 5 - CHILDREN_SHOWN));
    expect(mustQuery(root, '.lgw-entry[data-lgw-seq="10"]').dataset.lgwMarked).toBe("10");
  });

  it("go to # opens an events group on the row of that event, building only rows around it", () => {
    const { kernel, tl, root } = mount();
    const M = 30_000;
    for (let start = 0; start < M; start += BURST) {
      kernel.push(...Array.from({ length: BURST }, (_, k) => rec(start + k, "events", { event: "on_chain_stream", name: `n${start + k}` })));
    }
    expect(tl.stats().rows).toBe(1);
    tl.goto(25_000);
    const row = mustQuery(root, '.lgw-event-row[data-lgw-seq="25000"]');
    expect(row.dataset.lgwMarked).toBe("25000");
    const built = root.querySelectorAll(".lgw-event-row").length;
    expect(built).toBeLessThanOrEqual(GROUP_PAGE);
    expect(mustQuery(root, "button.lgw-group-earlier").textContent).toContain("24995 before");
    expect(root.querySelectorAll("*").length).toBeLessThan(2 * GROUP_PAGE * 10);
    tl.goto(25_100);
    expect(mustQuery(root, '.lgw-event-row[data-lgw-seq="25100"]').dataset.lgwMarked).toBe("25100");
    expect(root.querySelectorAll("[data-lgw-marked]")).toHaveLength(1);
  });
});
