import { describe, expect, it } from "vitest";
import { MessageIndex } from "../src/model/message-index";
import { UNLAID_ROWS } from "../src/render/timeline";
import { FakeKernel, FakeModel, mountWidget, mustQuery, rec } from "./helpers";

function live() {
  const model = new FakeModel({ status: "streaming", run_id: "r1" });
  const kernel = new FakeKernel(model);
  const el = mountWidget(model);
  const top = () => [...el.querySelectorAll<HTMLElement>(".lgw-entries > .lgw-entry")];
  return { model, kernel, el, top };
}

const meta = { langgraph_node: "agent" };
const chunk = (seq: number, content: string, extra: Record<string, unknown> = {}) =>
  rec(seq, "messages", [{ type: "AIMessageChunk", id: "m1", content, ...extra }, meta]);

const callMsg = (id: string) => ({ type: "ai", id: `ai-${id}`, content: "", tool_calls: [{ name: "search", args: { q: "x" }, id }] });
const resultMsg = (id: string) => ({ type: "tool", id: `tool-${id}`, name: "search", content: '{"ok": true}', tool_call_id: id });

describe("streamed AI text as Markdown", () => {
  it("renders each block once it is complete, keeps the block being written raw, renders it when done", () => {
    const { kernel, top } = live();
    kernel.push(chunk(0, "Some **bold**"), chunk(1, " text.\n"));
    const text = mustQuery(top()[0]!, ".lgw-stream-text");
    expect(text.querySelector(".lgw-md")).toBeNull();
    expect(text.textContent).toBe("Some **bold** text.\n");

    kernel.push(chunk(2, "\n- one\n"));
    const md = mustQuery(text, ".lgw-md");
    expect(mustQuery(md, "strong").textContent).toBe("bold");
    expect(text.lastChild!.textContent).toBe("- one\n");

    kernel.push(chunk(3, "- two\n\n```py\nx = 1\n\ny = 2\n"));
    // The list is done; the open code fence is not split at its blank line.
    expect([...md.querySelectorAll("li")].map((li) => li.textContent)).toEqual(["one", "two"]);
    expect(md.querySelector("pre")).toBeNull();
    expect(text.lastChild!.textContent).toBe("```py\nx = 1\n\ny = 2\n");

    kernel.push(chunk(4, "```\nthe `end`"));
    expect(mustQuery(md, "pre > code").textContent).toBe("x = 1\n\ny = 2\n");
    expect(text.lastChild!.textContent).toBe("the `end`");
    expect(md.querySelectorAll("p, ul, pre")).toHaveLength(3);

    // The last chunk: the message is done, its last block is Markdown too.
    kernel.push(chunk(5, "", { chunk_position: "last" }));
    expect(mustQuery(md, ":scope > p:last-child > code").textContent).toBe("end");
    expect(text.lastChild!.textContent).toBe("");
  });

  it("a streamed message that ends renders its last block as Markdown", () => {
    const { kernel, top } = live();
    kernel.push(chunk(0, "Intro.\n\nthe `end` is **near**"));
    const text = mustQuery(top()[0]!, ".lgw-stream-text");
    expect(text.querySelector("strong")).toBeNull();
    kernel.push(rec(1, "updates", { agent: { notes: 1 } }));
    expect(mustQuery(text, ".lgw-md strong").textContent).toBe("near");
    expect(mustQuery(text, ".lgw-md code").textContent).toBe("end");
    expect(text.lastChild!.textContent).toBe("");
  });

  it("plain prose stays one growing text node (O(token) appends)", () => {
    const { kernel, top } = live();
    kernel.push(chunk(0, "Report "));
    const text = mustQuery(top()[0]!, ".lgw-stream-text");
    const node = text.firstChild as Text;
    kernel.push(chunk(1, "on tidal power."), rec(2, "updates", { agent: { notes: 1 } }));
    expect(text.firstChild).toBe(node);
    expect(node.data).toBe("Report on tidal power.");
    expect(text.querySelector(".lgw-md")).toBeNull();
  });

  it("hostile streamed text stays inert", () => {
    const { kernel, top } = live();
    kernel.push(chunk(0, '<img src=x onerror="window.__pwned=1">\n\n[x](javascript:alert(1))\n\n'), chunk(1, "<svg onload=alert(1)>"));
    kernel.push(rec(2, "updates", { agent: { notes: 1 } }));
    const entry = top()[0]!;
    expect(entry.querySelector("img, svg, script, a[href]")).toBeNull();
    expect(entry.textContent).toContain('<img src=x onerror="window.__pwned=1">');
  });

  it("human text streamed is not Markdown", () => {
    const { kernel, top } = live();
    kernel.push(rec(0, "messages", [{ type: "HumanMessageChunk", id: "h", content: "**a**\n\n**b**\n\n" }, meta]));
    expect(top()[0]!.querySelector("strong, .lgw-md")).toBeNull();
  });
});

describe("tool call <-> result links", () => {
  function run(filler: number) {
    const t = live();
    const events = [rec(0, "updates", { agent: { messages: [callMsg("call_1"), callMsg("call_2")] } })];
    for (let i = 1; i <= filler; i++) events.push(rec(i, "custom", { i }));
    events.push(rec(filler + 1, "updates", { tools: { messages: [resultMsg("call_1")] } }));
    t.kernel.push(...events);
    return t;
  }

  it("clicking a result shows its call, in a row that was not in the DOM", () => {
    const { el } = run(UNLAID_ROWS + 5);
    expect(el.querySelector('[data-lgw-tool-call="call_1"]')).toBeNull();
    const result = mustQuery(el, '[data-lgw-tool-result="call_1"]');
    mustQuery(result, 'button[data-lgw-link="call"]').click();
    const call = mustQuery(el, '[data-lgw-tool-call="call_1"]');
    expect(call.classList.contains("lgw-goto-target")).toBe(true);
    expect(call.dataset.lgwMarked).toBe("0");
    // Only the linked call is marked, not its sibling.
    expect(mustQuery(el, '[data-lgw-tool-call="call_2"]').classList.contains("lgw-goto-target")).toBe(false);
  });

  it("clicking a call shows its result, and back", () => {
    const { el } = run(UNLAID_ROWS + 5);
    mustQuery(el, '[data-lgw-tool-result="call_1"] button[data-lgw-link="call"]').click();
    mustQuery(el, '[data-lgw-tool-call="call_1"] button[data-lgw-link="result"]').click();
    const result = mustQuery(el, '[data-lgw-tool-result="call_1"]');
    expect(result.classList.contains("lgw-goto-target")).toBe(true);
    expect(el.querySelector('[data-lgw-tool-call="call_1"].lgw-goto-target')).toBeNull();
  });

  it("a call without a result says so", () => {
    const { el } = run(3);
    const button = mustQuery(el, '[data-lgw-tool-call="call_2"] button[data-lgw-link="result"]');
    button.click();
    expect(button.dataset.lgwMissing).toBe("true");
    expect(button.title).toContain("No result");
    expect(el.querySelector(".lgw-goto-target")).toBeNull();
  });

  it("streamed tool calls get the hook and the link once their id arrives", () => {
    const { kernel, el } = live();
    kernel.push(rec(0, "messages", [{ type: "AIMessageChunk", id: "m", content: "", tool_call_chunks: [{ name: "search", args: '{"q"', index: 0 }] }, meta]));
    expect(el.querySelector("[data-lgw-tool-call]")).toBeNull();
    kernel.push(
      rec(1, "messages", [{ type: "AIMessageChunk", id: "m", content: "", tool_call_chunks: [{ id: "call_9", args: ': 1}', index: 0 }] }, meta]),
      rec(2, "messages", [resultMsg("call_9"), { langgraph_node: "tools" }]),
    );
    const call = mustQuery(el, '[data-lgw-tool-call="call_9"]');
    expect(call.querySelectorAll("button[data-lgw-link]")).toHaveLength(1);
    mustQuery(call, "button[data-lgw-link]").click();
    expect(mustQuery(el, '[data-lgw-tool-result="call_9"]').classList.contains("lgw-goto-target")).toBe(true);
  });
});

describe("token usage", () => {
  const ai = (id: string, input: number, output: number) => ({ type: "ai", id, content: "x", usage_metadata: { input_tokens: input, output_tokens: output, total_tokens: input + output } });

  it("counts each message once however often values repeat it; chunks add up until the whole message comes", () => {
    const index = new MessageIndex();
    index.ingest(rec(0, "values", { messages: [ai("a", 10, 5)] }));
    index.ingest(rec(1, "values", { messages: [ai("a", 10, 5), ai("b", 20, 1)] }));
    expect(index.usage()).toEqual({ input: 30, output: 6, total: 36 });
    index.ingest(rec(2, "messages", [{ type: "AIMessageChunk", id: "c", content: "", usage_metadata: { input_tokens: 7, output_tokens: 1 } }, meta]));
    index.ingest(rec(3, "messages", [{ type: "AIMessageChunk", id: "c", content: "", usage_metadata: { input_tokens: 0, output_tokens: 2 } }, meta]));
    expect(index.usage()).toEqual({ input: 37, output: 9, total: 46 });
    index.ingest(rec(4, "updates", { agent: { messages: [ai("c", 7, 4)] } }));
    expect(index.usage()).toEqual({ input: 37, output: 10, total: 47 });
    index.ingest(rec(5, "messages", [{ type: "AIMessageChunk", id: "c", content: "", usage_metadata: { input_tokens: 100 } }, meta]));
    expect(index.usage()?.total).toBe(47);
    expect(new MessageIndex().usage()).toBeNull();
  });

  it("shows the run total in the header once a message reports usage", () => {
    const { kernel, el } = live();
    const total = mustQuery(el, ".lgw-header .lgw-run-usage");
    kernel.push(rec(0, "updates", { agent: { messages: [{ type: "ai", id: "n", content: "no usage" }] } }));
    expect(total.hidden).toBe(true);
    kernel.push(rec(1, "updates", { agent: { messages: [ai("u1", 1000, 234)] } }), rec(2, "values", { messages: [ai("u1", 1000, 234), ai("u2", 1, 1)] }));
    expect(total.hidden).toBe(false);
    expect(total.textContent).toBe("1,236 tokens");
    expect(total.dataset.lgwUsageTotal).toBe("1236");
    expect(total.title).toContain("1,001 in, 235 out");
  });
});
