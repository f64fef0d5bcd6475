// Keyboard navigation and ARIA of the timeline: a feed of articles; j/k and
// the arrows move focus, Home/End jump (building rows the virtualized list
// had not built), Enter/Space open and close the focused entry; keys are
// handled only for focus inside the list, and do not reach JupyterLab.

import { afterEach, describe, expect, it } from "vitest";
import { UNLAID_ROWS } from "../src/render/timeline";
import { createView, type View } from "../src/view";
import { FakeKernel, FakeModel, rec } from "./helpers";
import type { EventRecord } from "../src/types";

const views: View[] = [];
afterEach(() => {
  while (views.length) views.pop()!.destroy();
  document.body.replaceChildren();
});

function mount(events: EventRecord[], status = "done") {
  const model = new FakeModel({ status });
  const kernel = new FakeKernel(model);
  const el = document.createElement("div");
  document.body.append(el);
  const view = createView(model, el);
  views.push(view);
  kernel.push(...events);
  view.timeline.flush();
  return { model, view, tl: view.timeline, root: view.root };
}

/** Press `key` on the focused element (as the browser would dispatch it); true when something handled it. */
function press(key: string, init: KeyboardEventInit = {}): boolean {
  const target = (document.activeElement ?? document.body) as HTMLElement;
  const ev = new KeyboardEvent("keydown", { key, bubbles: true, cancelable: true, ...init });
  target.dispatchEvent(ev);
  return ev.defaultPrevented;
}

const focused = () => document.activeElement as HTMLElement;
const seqOf = (el: Element | null) => (el as HTMLElement | null)?.dataset.lgwSeq;

describe("ARIA", () => {
  it("is a feed of articles with their position, size and label, busy while the run streams", () => {
    const { tl, model } = mount([rec(0, "updates", { agent: { x: 1 } }), rec(1, "custom", "hi")], "streaming");
    expect(tl.el.getAttribute("role")).toBe("feed");
    expect(tl.el.getAttribute("aria-busy")).toBe("true");
    const [a, b] = [...tl.el.children] as HTMLElement[];
    expect(a!.getAttribute("role")).toBe("article");
    expect(a!.getAttribute("tabindex")).toBe("-1");
    expect([a!.getAttribute("aria-posinset"), a!.getAttribute("aria-setsize")]).toEqual(["1", "2"]);
    expect(a!.getAttribute("aria-label")).toBe("updates: agent");
    expect(b!.getAttribute("aria-label")).toBe("custom");
    model.set({ status: "done" });
    expect(tl.el.getAttribute("aria-busy")).toBe("false");
  });
});

describe("keys", () => {
  const many = (n: number) => Array.from({ length: n }, (_, i) => rec(i, "updates", { [`n${i % 3}`]: { i } }));

  it("j/k and the arrows move focus between entries, from the list itself into it", () => {
    const { tl } = mount(many(5));
    tl.scroller.focus();
    expect(press("j")).toBe(true);
    expect(seqOf(focused())).toBe("0");
    press("j");
    press("ArrowDown");
    expect(seqOf(focused())).toBe("2");
    press("k");
    expect(seqOf(focused())).toBe("1");
    press("ArrowUp");
    press("ArrowUp"); // stays on the first
    expect(seqOf(focused())).toBe("0");
    expect(tl.following).toBe(false);
  });

  it("Home and End reach rows the virtualized list had not built", () => {
    const { tl } = mount(many(2000));
    expect(tl.el.querySelector('[data-lgw-seq="0"]')).toBeNull();
    tl.scroller.focus();
    press("End");
    expect(seqOf(focused())).toBe("1999");
    press("Home");
    expect(seqOf(focused())).toBe("0");
    expect(focused().getAttribute("aria-posinset")).toBe("1");
    expect(tl.el.childElementCount).toBeLessThanOrEqual(UNLAID_ROWS);
    // And down again from there, past the rows built.
    for (let i = 0; i < UNLAID_ROWS + 5; i++) press("j");
    expect(seqOf(focused())).toBe(String(UNLAID_ROWS + 5));
  });

  it("moves over the filtered rows only", () => {
    const { tl, view } = mount(many(9));
    view.filter.set({ node: "n1" });
    tl.flush();
    tl.scroller.focus();
    press("j");
    press("j");
    expect(seqOf(focused())).toBe("4");
    expect(focused().getAttribute("aria-setsize")).toBe("3");
  });

  it("Enter and Space open and close the focused entry", () => {
    const { tl } = mount([rec(0, "updates", { agent: { deep: { deeper: { x: 1 } } } }), rec(1, "debug", { type: "odd", payload: { a: { b: 1 } } })]);
    tl.scroller.focus();
    press("j");
    const entry = focused();
    const closed = () => entry.querySelectorAll('.lgw-json-toggle[aria-expanded="false"]').length;
    expect(closed()).toBeGreaterThan(0);
    press("Enter");
    expect(closed()).toBe(0);
    expect(entry.querySelectorAll('.lgw-json-toggle[aria-expanded="true"]').length).toBeGreaterThan(1);
    press(" ");
    expect(entry.querySelectorAll('.lgw-json-toggle[aria-expanded="true"]')).toHaveLength(0);
    // A collapsible entry opens with its own toggle.
    press("j");
    const compact = focused();
    const toggle = compact.querySelector(":scope > .lgw-entry-head > .lgw-expand")!;
    expect(toggle.getAttribute("aria-expanded")).toBe("false");
    press("Enter");
    expect(toggle.getAttribute("aria-expanded")).toBe("true");
    press("Enter");
    expect(toggle.getAttribute("aria-expanded")).toBe("false");
  });

  it("does not take keys outside the list, in inputs, with modifiers, or Enter on a button", () => {
    const { tl, root } = mount(many(3));
    const search = root.querySelector<HTMLInputElement>("[data-lgw-search]")!;
    search.focus();
    expect(press("j")).toBe(false);
    expect(focused()).toBe(search);
    tl.scroller.focus();
    expect(press("j", { ctrlKey: true })).toBe(false);
    expect(press("x")).toBe(false);
    press("j");
    const copy = focused().querySelector<HTMLElement>('[data-lgw-action="copy"]')!;
    copy.focus();
    expect(press("Enter")).toBe(false);
    // j from a button inside an entry moves on.
    expect(press("j")).toBe(true);
    expect(seqOf(focused())).toBe("1");
  });

  it("stops the keys it handles from reaching the page (JupyterLab's command mode)", () => {
    const { tl } = mount(many(3));
    const seen: string[] = [];
    const listener = (e: KeyboardEvent) => seen.push(e.key);
    document.addEventListener("keydown", listener);
    try {
      tl.scroller.focus();
      press("j");
      press("k");
      press("q");
    } finally {
      document.removeEventListener("keydown", listener);
    }
    expect(seen).toEqual(["q"]);
  });
});
