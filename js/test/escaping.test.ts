import { afterEach, describe, expect, it } from "vitest";
import widget from "../src/index";
import { FakeKernel, FakeModel, HOSTILE, assertNoInjectedElements, rec } from "./helpers";

afterEach(() => document.body.replaceChildren());

function mount(model: FakeModel): HTMLElement {
  const el = document.createElement("div");
  document.body.append(el);
  widget.render!({ model, el } as never);
  return el;
}

/** Expand every collapsed JSON branch and every clipped string, repeatedly. */
function expandAll(root: HTMLElement): void {
  for (let round = 0; round < 10; round++) {
    const closed = root.querySelectorAll<HTMLElement>(
      '.lgw-json-toggle[aria-expanded="false"], button.lgw-more[aria-expanded="false"], .lgw-expand[aria-expanded="false"], .lgw-group-toggle[aria-expanded="false"], .lgw-panel-toggle[aria-expanded="false"]',
    );
    if (closed.length === 0) return;
    closed.forEach((b) => b.click());
  }
}

describe("hostile strings end up as text", () => {
  for (const bad of HOSTILE) {
    it(`everywhere: ${bad}`, () => {
      const model = new FakeModel({
        status: "streaming",
        assistant_id: bad,
        run_id: bad,
        thread_id: bad,
        error: bad,
        url: bad,
      });
      const kernel = new FakeKernel(model);
      const el = mount(model);
      const longBad = bad + "x".repeat(500) + bad;
      kernel.push(
        rec(0, "metadata", { run_id: bad, attempt: bad, [bad]: bad }),
        rec(1, "updates", {
          [bad]: {
            messages: [
              { type: "human", content: bad, name: bad },
              { type: "ai", content: [{ type: "text", text: bad }, { type: bad }], tool_calls: [{ name: bad, args: { [bad]: bad }, id: bad }] },
              { type: "tool", name: bad, status: bad, content: JSON.stringify({ [bad]: bad }) },
              { type: "tool", name: "t", content: longBad },
              { role: bad, content: bad },
            ],
            [bad]: [bad],
          },
          other: bad,
        }),
        rec(2, "updates", { __interrupt__: [{ value: { [bad]: bad }, id: bad }] }),
        rec(3, `${bad}|${bad}:1`, { [bad]: bad }, { ns: [`${bad}:1`] }),
        rec(4, "custom", bad, { raw: true }),
        rec(5, "error", { error: bad, message: bad, [bad]: bad }),
        rec(6, "tasks", { name: bad }),
        rec(7, "messages", [{ type: "ai", content: bad }, { langgraph_node: bad }]),
      );
      expandAll(el);
      assertNoInjectedElements(el);
      // Every event has its entry (the whole message lives in its node's entry).
      for (const seq of [0, 1, 2, 3, 4, 5, 6]) expect(el.querySelector(`.lgw-entry[data-lgw-seq="${seq}"]`)).not.toBeNull();
      expect(el.querySelector('.lgw-entry[data-lgw-node] .lgw-stream-msg')?.textContent).toContain(bad);
      const text = el.textContent!;
      expect(text).toContain(bad);
      expect(text).toContain(longBad);
      // The node name, tool name, error and event name are there verbatim.
      const entry1 = el.querySelector<HTMLElement>('.lgw-entry[data-lgw-seq="1"]')!;
      expect(entry1.dataset.lgwNode).toBe(bad);
      expect(entry1.querySelector(".lgw-node-name")!.textContent).toBe(bad);
      expect(entry1.querySelector(".lgw-tool-call .lgw-tool-name")!.textContent).toBe(bad);
      expect(el.querySelector('.lgw-entry[data-lgw-seq="3"] .lgw-event-name')!.textContent).toBe(`${bad}|${bad}:1`);
      expect(el.querySelector(".lgw-error-name")!.textContent).toBe(bad);
      expect(el.querySelector(".lgw-header-error")!.textContent).toBe(bad);
      expect(el.querySelector(".lgw-run .lgw-id")!.textContent).toBe(bad);
    });
  }

  for (const bad of HOSTILE) {
    it(`in every stream mode and the action panel: ${bad}`, () => {
      const model = new FakeModel({ status: "streaming" });
      const kernel = new FakeKernel(model);
      const el = mount(model);
      const meta = { langgraph_node: bad, langgraph_checkpoint_ns: `${bad}:1` };
      kernel.push(
        rec(0, "messages", [{ type: "AIMessageChunk", id: bad, content: bad, tool_call_chunks: [{ name: bad, args: bad, id: bad, index: 0 }] }, meta]),
        rec(1, "messages", [{ type: "AIMessageChunk", id: bad, content: [{ type: "text", text: bad }] }, meta]),
        rec(2, "messages/metadata", { [bad]: { metadata: meta } }),
        rec(3, "messages/partial", [{ type: "ai", id: bad, content: bad + bad, tool_calls: [{ name: bad, args: { [bad]: bad }, id: bad }] }]),
        rec(4, "messages/complete", [{ type: "tool", id: bad + "t", name: bad, content: bad }]),
        rec(5, "updates", { [bad]: { messages: [{ type: "ai", id: bad, content: bad }] } }),
        rec(6, "values", { [bad]: bad, messages: [{ type: "human", content: bad }] }),
        rec(7, "values", { [bad]: [bad], other: bad, messages: [{ type: "human", content: bad }, { type: bad, content: bad }] }),
        rec(8, "tasks", { id: bad, name: bad, input: { [bad]: bad }, triggers: [bad] }),
        rec(9, "tasks", { id: bad, name: bad, error: { error: bad, message: bad }, result: bad, interrupts: [] }),
        rec(10, "checkpoints", { config: { configurable: { checkpoint_id: bad } }, metadata: { step: 1, source: bad }, next: [bad], tasks: [{ name: bad, error: bad }], values: { [bad]: bad } }),
        rec(11, "debug", { type: "task", step: 1, timestamp: bad, payload: { id: "d", name: bad, input: bad } }),
        rec(12, "debug", { type: bad, payload: bad }),
        rec(13, `events|${bad}:2`, { event: bad, name: bad, metadata: { langgraph_node: bad }, data: { [bad]: bad } }),
        rec(14, "custom", bad),
        rec(15, "note", { message: bad, [bad]: bad }),
        rec(16, `custom|${bad}:2|${bad}:3`, { [bad]: bad }),
        rec(17, "updates", { __interrupt__: [{ value: { question: bad, [bad]: bad }, id: bad }] }),
      );
      model.set({ status: "interrupted", interrupts: [{ id: bad, value: bad }, { id: bad, value: { question: bad, [bad]: [bad] } }], paused_at: [bad] });
      expandAll(el);
      for (const g of el.querySelectorAll<HTMLElement>('.lgw-group-toggle[aria-expanded="false"]')) g.click();
      expandAll(el);
      assertNoInjectedElements(el);
      const text = el.textContent!;
      expect(text).toContain(bad);
      expect(el.querySelector(".lgw-hitl")!.textContent).toContain(bad);
      expect(el.querySelector(".lgw-stream-text, .lgw-msg-text")!.textContent).toContain(bad);
      model.set({ interrupts: [], paused_at: [bad] });
      assertNoInjectedElements(el);
      expect(el.querySelector(".lgw-paused-at")!.textContent).toBe(bad);
    });
  }

  it("the bundle source never assigns innerHTML/outerHTML or uses insertAdjacentHTML", async () => {
    const sources = import.meta.glob("../src/**/*.ts", { query: "?raw", import: "default", eager: true }) as Record<string, string>;
    expect(Object.keys(sources).length).toBeGreaterThan(10);
    for (const [path, source] of Object.entries(sources)) {
      expect(source, path).not.toMatch(/innerHTML|outerHTML|insertAdjacentHTML|document\.write|DOMParser|createContextualFragment/);
    }
  });
});
