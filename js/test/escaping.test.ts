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
    const closed = root.querySelectorAll<HTMLElement>('.lgw-json-toggle[aria-expanded="false"], button.lgw-more[aria-expanded="false"]');
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
      expect(el.querySelectorAll(".lgw-entry")).toHaveLength(8);
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

  it("the bundle source never assigns innerHTML/outerHTML or uses insertAdjacentHTML", async () => {
    const sources = import.meta.glob("../src/**/*.ts", { query: "?raw", import: "default", eager: true }) as Record<string, string>;
    expect(Object.keys(sources).length).toBeGreaterThan(10);
    for (const [path, source] of Object.entries(sources)) {
      expect(source, path).not.toMatch(/innerHTML|outerHTML|insertAdjacentHTML|document\.write|DOMParser|createContextualFragment/);
    }
  });
});
