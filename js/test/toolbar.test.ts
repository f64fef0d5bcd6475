// The find toolbar (node select, kind toggles, debounced search, count and
// clear, expand / collapse all) and the copy button of each entry.

import { afterEach, describe, expect, it, vi } from "vitest";
import { FEEDBACK_MS, recordJson } from "../src/render/copy";
import { SEARCH_DEBOUNCE_MS } from "../src/render/toolbar";
import { createView, type View } from "../src/view";
import { FakeKernel, FakeModel, mustQuery, rec } from "./helpers";
import type { EventRecord } from "../src/types";

const views: View[] = [];
afterEach(() => {
  while (views.length) views.pop()!.destroy();
  document.body.replaceChildren();
  vi.useRealTimers();
  vi.restoreAllMocks();
});

function mount(events: EventRecord[] = []) {
  const model = new FakeModel({ status: "streaming" });
  const kernel = new FakeKernel(model);
  const el = document.createElement("div");
  document.body.append(el);
  const view = createView(model, el);
  views.push(view);
  if (events.length) kernel.push(...events);
  view.timeline.flush();
  const q = <T extends HTMLElement>(sel: string) => mustQuery(view.root, sel) as T;
  const shown = () => {
    view.timeline.flush();
    return [...view.timeline.el.children].map((c) => (c as HTMLElement).dataset.lgwSeq);
  };
  return { kernel, view, q, shown };
}

const run = () => [
  rec(0, "updates", { agent: { messages: [{ type: "ai", id: "a", content: "Looking up the WEATHER" }] } }),
  rec(1, "updates", { tools: { result: { temp: 72 } } }),
  rec(2, "custom", { progress: "weather fetched" }),
  rec(3, "updates", { agent: { answer: "sunny" } }),
];

describe("toolbar", () => {
  it("appears with the first event and lists the nodes and kinds seen so far", () => {
    const { kernel, q } = mount();
    const bar = q(".lgw-toolbar");
    expect(bar.hidden).toBe(true);
    kernel.push(...run());
    expect(bar.hidden).toBe(false);
    const select = q<HTMLSelectElement>("[data-lgw-filter-node]");
    expect([...select.options].map((o) => o.value)).toEqual(["", "agent", "tools"]);
    expect([...bar.querySelectorAll<HTMLElement>("[data-lgw-filter-kind]")].map((b) => b.dataset.lgwFilterKind)).toEqual(["updates", "custom"]);
    kernel.push(rec(4, "values", { x: 1 }));
    expect(bar.querySelectorAll("[data-lgw-filter-kind]")).toHaveLength(3);
  });

  it("filters by node from the select and from the FilterState (a graph click), counts, and clears", () => {
    const { view, q, shown } = mount(run());
    const select = q<HTMLSelectElement>("[data-lgw-filter-node]");
    const count = q("[data-lgw-filter-count]");
    const clear = q<HTMLButtonElement>('[data-lgw-action="clear-filter"]');
    expect(count.hidden).toBe(true);
    expect(clear.hidden).toBe(true);
    select.value = "agent";
    select.dispatchEvent(new Event("change"));
    expect(view.filter.get().node).toBe("agent");
    expect(shown()).toEqual(["0", "3"]);
    expect(count.textContent).toBe("2 of 4 events match");
    expect(count.hidden).toBe(false);
    view.filter.set({ node: "tools" });
    expect(select.value).toBe("tools");
    expect(shown()).toEqual(["1"]);
    // A node the run has not reached yet (picked in the graph) is offered too.
    view.filter.set({ node: "summarize" });
    expect(select.value).toBe("summarize");
    expect(shown()).toEqual([]);
    expect(count.textContent).toBe("0 of 4 events match");
    clear.click();
    expect(view.filter.active).toBe(false);
    expect(select.value).toBe("");
    expect(shown()).toEqual(["0", "1", "2", "3"]);
  });

  it("toggles kinds", () => {
    const { view, q, shown } = mount(run());
    const custom = q<HTMLButtonElement>('[data-lgw-filter-kind="custom"]');
    expect(custom.getAttribute("aria-pressed")).toBe("false");
    custom.click();
    expect(custom.getAttribute("aria-pressed")).toBe("true");
    expect(shown()).toEqual(["2"]);
    q<HTMLButtonElement>('[data-lgw-filter-kind="updates"]').click();
    expect(shown()).toEqual(["0", "1", "2", "3"]);
    expect(view.filter.get().kinds).toEqual(new Set(["custom", "updates"]));
    custom.click();
    expect(shown()).toEqual(["0", "1", "3"]);
  });

  it("searches after a pause in typing, at once on Enter, and Escape empties it", () => {
    vi.useFakeTimers();
    const { view, q, shown } = mount(run());
    const search = q<HTMLInputElement>("[data-lgw-search]");
    search.value = "weath";
    search.dispatchEvent(new Event("input"));
    search.value = "weather";
    search.dispatchEvent(new Event("input"));
    expect(view.filter.get().text).toBe("");
    vi.advanceTimersByTime(SEARCH_DEBOUNCE_MS - 1);
    expect(view.filter.get().text).toBe("");
    vi.advanceTimersByTime(1);
    expect(view.filter.get().text).toBe("weather");
    expect(shown()).toEqual(["0", "2"]);
    search.value = "SUNNY";
    search.dispatchEvent(new KeyboardEvent("keydown", { key: "Enter", bubbles: true }));
    expect(shown()).toEqual(["3"]);
    const escape = new KeyboardEvent("keydown", { key: "Escape", bubbles: true, cancelable: true });
    search.dispatchEvent(escape);
    expect(escape.defaultPrevented).toBe(true);
    expect(search.value).toBe("");
    expect(shown()).toEqual(["0", "1", "2", "3"]);
  });

  it("expands and collapses everything, and rows built later follow the choice", () => {
    const events = Array.from({ length: 200 }, (_, i) => rec(i, "updates", { node: { deep: { deeper: { i } } } }));
    const { view, q } = mount(events);
    const tl = view.timeline;
    const closed = (el: Element) => el.querySelectorAll('.lgw-json-toggle[aria-expanded="false"]').length;
    const last = tl.el.lastElementChild!;
    expect(closed(last)).toBeGreaterThan(0);
    q<HTMLButtonElement>('[data-lgw-action="expand-all"]').click();
    expect(closed(tl.el)).toBe(0);
    // `deep` and `deeper` (the update's top level is shown bare, without a toggle).
    expect(last.querySelectorAll('.lgw-json-toggle[aria-expanded="true"]')).toHaveLength(2);
    // Row 0 was not built (the list shows the last rows); built now, it opens too.
    expect(tl.el.querySelector('[data-lgw-seq="0"]')).toBeNull();
    tl.goto(0);
    tl.flush();
    const first = mustQuery(tl.el, '[data-lgw-seq="0"]');
    expect(closed(first)).toBe(0);
    q<HTMLButtonElement>('[data-lgw-action="collapse-all"]').click();
    expect(tl.el.querySelectorAll('.lgw-json-toggle[aria-expanded="true"]')).toHaveLength(0);
    tl.goto(199);
    tl.flush();
    expect(mustQuery(tl.el, '[data-lgw-seq="199"]').querySelectorAll('.lgw-json-toggle[aria-expanded="true"]')).toHaveLength(0);
  });
});

describe("copy", () => {
  function setClipboard(value: unknown) {
    Object.defineProperty(navigator, "clipboard", { value, configurable: true });
  }
  afterEach(() => setClipboard(undefined));

  /** Wait for the copy's promise to settle. */
  const settle = () => new Promise((resolve) => setTimeout(resolve, 0));

  it("puts the event's record on the clipboard and says so", async () => {
    const writeText = vi.fn(() => Promise.resolve());
    setClipboard({ writeText });
    const { view } = mount(run());
    const button = mustQuery(view.timeline.el, '[data-lgw-seq="1"] [data-lgw-action="copy"]');
    button.click();
    await settle();
    expect(writeText).toHaveBeenCalledTimes(1);
    const copied = JSON.parse((writeText.mock.calls[0] as unknown as [string])[0]);
    expect(copied).toEqual({ seq: 1, event: "updates", mode: "updates", ns: [], data: { tools: { result: { temp: 72 } } }, id: null, t: 0.1 });
    expect(button.textContent).toBe("copied");
    expect(button.dataset.lgwCopied).toBe("ok");
  });

  it("falls back to a selected textarea when there is no Clipboard API (insecure origin)", async () => {
    setClipboard(undefined);
    let selected = "";
    const exec = vi.fn(() => {
      selected = document.querySelector<HTMLTextAreaElement>("textarea.lgw-copy-buffer")!.value;
      return true;
    });
    Object.defineProperty(document, "execCommand", { value: exec, configurable: true });
    const { view } = mount(run());
    const button = mustQuery(view.timeline.el, '[data-lgw-seq="2"] [data-lgw-action="copy"]');
    button.focus();
    button.click();
    await settle();
    expect(exec).toHaveBeenCalledWith("copy");
    expect(JSON.parse(selected).data).toEqual({ progress: "weather fetched" });
    expect(document.querySelector(".lgw-copy-buffer")).toBeNull();
    expect(document.activeElement).toBe(button);
    expect(button.textContent).toBe("copied");
  });

  it("shows the error when neither way copies, then goes back to 'copy'", async () => {
    vi.useFakeTimers({ toFake: ["setTimeout", "clearTimeout"] });
    setClipboard({ writeText: () => Promise.reject(new Error("Write permission denied.")) });
    Object.defineProperty(document, "execCommand", { value: () => false, configurable: true });
    const { view } = mount(run());
    const button = mustQuery(view.timeline.el, '[data-lgw-seq="0"] [data-lgw-action="copy"]');
    button.click();
    await vi.waitFor(() => expect(button.dataset.lgwCopied).toBe("error"));
    expect(button.textContent).toBe("copy failed: Write permission denied.");
    vi.advanceTimersByTime(FEEDBACK_MS);
    expect(button.textContent).toBe("copy");
    expect(button.dataset.lgwCopied).toBeUndefined();
  });

  it("serializes a raw record with its flag", () => {
    const json = JSON.parse(recordJson({ ...rec(3, "weird", "not json"), raw: true }));
    expect(json).toMatchObject({ seq: 3, event: "weird", data: "not json", raw: true });
  });
});
