// Big and deep payloads through the whole widget (v2 wire format): a 10 MB
// tool result and JSON nested 2,000 levels deep are shown lazily (collapsed,
// clipped, expanded on demand) without freezing or overflowing the stack.

import { afterEach, describe, expect, it, vi } from "vitest";
import widget from "../src/index";
import { PARSE_LIMIT } from "../src/render/messages";
import { SHOW_STEP } from "../src/dom";
import { stringify } from "../src/json";
import { diffState } from "../src/model/values";
import { appendMessage, click, FakeKernel, FakeModel, mustQuery, rec } from "./helpers";

const MB10 = 10 * 1024 * 1024;
const DEPTH = 2000;
const OPEN_LEVELS = 300;

function deep(n: number, leaf: unknown = "bottom"): Record<string, unknown> {
  let v: unknown = leaf;
  for (let i = 0; i < n; i++) v = { [`level${n - 1 - i}`]: v };
  return v as Record<string, unknown>;
}

const cleanups: Array<() => void> = [];
let errors: ReturnType<typeof vi.spyOn>;
afterEach(() => {
  while (cleanups.length) cleanups.pop()!();
  document.body.replaceChildren();
  errors?.mockRestore();
});

function live() {
  errors = vi.spyOn(console, "error");
  const model = new FakeModel({ status: "streaming", started: Date.now() });
  const kernel = new FakeKernel(model);
  const el = document.createElement("div");
  document.body.append(el);
  const cleanup = widget.render!({ model, el } as never);
  if (typeof cleanup === "function") cleanups.push(cleanup as () => void);
  return { model, kernel, el };
}

/** Characters of text in the DOM under `el`. */
function domText(el: Element): number {
  return el.textContent?.length ?? 0;
}

/** The first child element of `el` with class `cls`. */
function childWith(el: Element, cls: string): HTMLElement | null {
  for (const c of el.children) if (c.classList.contains(cls)) return c as HTMLElement;
  return null;
}

/**
 * Open a chain of single-key branches from `list` (a `.lgw-json-children`)
 * down, one click per level (walking children, not selectors: jsdom is slow
 * on 2,000-deep trees); returns how many were opened.
 */
function openChain(list: Element, max: number): number {
  let opened = 0;
  let current: Element | null = list;
  while (current && opened < max) {
    const branch = childWith(current, "lgw-json-branch");
    if (!branch) break;
    const toggle = childWith(branch, "lgw-json-toggle")!;
    expect(toggle.getAttribute("aria-expanded")).toBe("false");
    toggle.click();
    opened++;
    current = childWith(branch, "lgw-json-children");
  }
  return opened;
}

describe("a 10 MB tool result", () => {
  it("arrives whole and shows clipped, growing a step at a time on demand", () => {
    const { kernel, el } = live();
    const big = "lorem ipsum ".repeat(MB10 / 12);
    const t0 = performance.now();
    kernel.push(
      rec(0, "updates", {
        tools: { messages: [{ type: "tool", name: "search", tool_call_id: "c1", id: "m1", content: big }] },
      }),
    );
    const ms = performance.now() - t0;
    const entry = mustQuery(el, '.lgw-entry[data-lgw-node="tools"]');
    const result = mustQuery(entry, ".lgw-tool-result");
    const body = mustQuery(result, ".lgw-text-body");
    expect(body.textContent!.length).toBeLessThan(500);
    expect(domText(el.querySelector(".lgw-timeline")!)).toBeLessThan(5_000);
    const more = mustQuery<HTMLButtonElement>(result, "button.lgw-more");
    expect(more.textContent).toContain(big.length.toLocaleString("en-US"));
    click(more);
    expect(body.textContent!.length).toBeGreaterThan(SHOW_STEP);
    expect(body.textContent!.length).toBeLessThan(SHOW_STEP + 1000);
    // The event is held in full.
    expect(ms).toBeLessThan(5_000);
    expect(errors).not.toHaveBeenCalled();
  });

  it("as JSON text, is not parsed while the entry is built; a button parses it on demand", () => {
    const { kernel, el } = live();
    const items = Array.from({ length: 60_000 }, (_, i) => ({ id: i, title: `result ${i}`, body: "x".repeat(150) }));
    const json = JSON.stringify(items);
    expect(json.length).toBeGreaterThan(PARSE_LIMIT);
    kernel.push(rec(0, "updates", { tools: { messages: [{ type: "tool", name: "search", id: "m1", content: json }] } }));
    const result = mustQuery(el, ".lgw-tool-result");
    expect(result.querySelector(".lgw-json")).toBeNull();
    expect(mustQuery(result, ".lgw-text-body").textContent!.length).toBeLessThan(500);
    click(mustQuery(result, "button.lgw-parse-json"));
    const view = mustQuery(result, ".lgw-json");
    // Paged: the first 100 items, then a "show more" button.
    expect(view.querySelectorAll(":scope > .lgw-json-children > .lgw-json-node").length).toBe(100);
    expect(mustQuery(view, ".lgw-json-more").textContent).toContain("59900 left");
    expect(errors).not.toHaveBeenCalled();
  });

  it("in the state panel, a custom event and a raw (non-JSON) event stays clipped", () => {
    const { kernel, el } = live();
    const big = "z".repeat(MB10);
    kernel.push(rec(0, "values", { report: big, messages: [] }), rec(1, "custom", big), rec(2, "values", { report: big + "!", messages: [] }));
    const m = appendMessage(3, [rec(3, "updates", null)], "dataview", ["not json: " + big]);
    kernel.model.custom(m.msg, m.buffers);
    const root = el.querySelector(".lgw-timeline")!;
    click(mustQuery(root, ".lgw-state-toggle"));
    expect(mustQuery(root, '.lgw-state-key[data-lgw-key="report"]').textContent!.length).toBeLessThan(1_000);
    expect(mustQuery(root, '.lgw-entry[data-lgw-seq="3"]').classList.contains("lgw-raw")).toBe(true);
    expect(domText(root)).toBeLessThan(10_000);
    expect(errors).not.toHaveBeenCalled();
  });
});

describe("JSON nested 2,000 levels deep", () => {
  it("shows collapsed in every kind of entry, and opens level by level on demand", () => {
    const { kernel, el } = live();
    const value = deep(DEPTH);
    kernel.push(
      rec(0, "custom", value),
      rec(1, "updates", { agent: { messages: [{ type: "ai", id: "a1", content: [value] }], extra: value } }),
      rec(2, "values", { state: value }),
      rec(3, "values", { state: deep(DEPTH, "changed at the bottom") }),
      rec(4, "tasks", { id: "t1", name: "agent", input: value, triggers: [] }),
      rec(5, "tasks", { id: "t1", name: "agent", result: value, error: null, interrupts: [] }),
      rec(6, "checkpoints", { config: { configurable: { checkpoint_id: "c1" } }, values: value, next: [], metadata: { step: 1 } }),
      rec(7, "messages", [{ type: "AIMessageChunk", id: "r1", content: "", tool_call_chunks: [{ index: 0, name: "f", args: value }] }, { langgraph_node: "agent" }]),
      rec(8, "events", { event: "on_chain_end", name: "x", data: { output: value } }),
      rec(9, "updates", { __interrupt__: [{ value, id: "i1" }] }),
    );
    const root = el.querySelector<HTMLElement>(".lgw-timeline")!;
    expect(root.dataset.count).toBe("10");
    // Everything built so far is shallow.
    expect(root.querySelectorAll("*").length).toBeLessThan(800);
    // The deepest diff compares unequal past the depth limit: "changed", computed without recursion trouble.
    expect(mustQuery(root, '.lgw-entry[data-lgw-seq="3"] .lgw-diff-summary').textContent).toBe("~1 changed");
    // The custom entry opens, one click per level, down to the leaf.
    const custom = mustQuery(root, '.lgw-entry[data-lgw-event="custom"]');
    const top = mustQuery(custom, ".lgw-json.lgw-json-bare > .lgw-json-children");
    // The top level is listed bare; each level under it opens with one click
    // and builds only that level. (jsdom dispatches events in time linear in
    // the depth, so the suite opens 300 levels; the browser test opens all
    // 2,000 down to the leaf.)
    expect(openChain(top, OPEN_LEVELS)).toBe(OPEN_LEVELS);
    expect(custom.querySelectorAll(".lgw-json-branch")).toHaveLength(OPEN_LEVELS + 1);
    expect(custom.textContent).toContain(`level${OPEN_LEVELS}`);
    expect(custom.textContent).not.toContain('"bottom"');
    // The state panel and a task's details open too.
    click(mustQuery(root, ".lgw-state-toggle"));
    expect(mustQuery(root, ".lgw-state-content").querySelector(".lgw-json")).not.toBeNull();
    click(mustQuery(root, ".lgw-task .lgw-expand"));
    expect(mustQuery(root, ".lgw-task .lgw-task-details").textContent).toContain("result");
    expect(errors).not.toHaveBeenCalled();
  });

  it("arrives over the wire as text and parses (200,000 levels: shown as raw text when the engine cannot)", () => {
    const { kernel, el } = live();
    const n = 200_000;
    const text = "[".repeat(n) + "]".repeat(n);
    const m = appendMessage(0, [rec(0, "custom", null)], "dataview", [text]);
    kernel.model.custom(m.msg, m.buffers);
    const entry = mustQuery(el, '.lgw-entry[data-lgw-seq="0"]');
    expect(entry.querySelectorAll("*").length).toBeLessThan(50);
    expect(errors).not.toHaveBeenCalled();
  });

  it("model helpers stay within the stack on very deep values", () => {
    const v = deep(50_000);
    expect(diffState({ a: v }, { a: deep(50_000, "other") }).changed).toEqual(["a"]);
    expect(stringify(v)).toContain("too deep");
  });
});
