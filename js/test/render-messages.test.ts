import { describe, expect, it } from "vitest";
import { renderMessage, renderMessages } from "../src/render/messages";
import { mustQuery } from "./helpers";

describe("messages", () => {
  it("maps types and roles to kinds", () => {
    const list = renderMessages([
      { type: "human", content: "h" },
      { role: "user", content: "u" },
      { type: "ai", content: "a" },
      { type: "AIMessageChunk", content: "c" },
      { role: "assistant", content: "as" },
      { type: "tool", content: "t", name: "x" },
      { type: "system", content: "s" },
      { type: "remove", id: "m1" },
    ]);
    const kinds = [...list.querySelectorAll<HTMLElement>(".lgw-msg")].map((m) => m.dataset.lgwMsgType);
    expect(kinds).toEqual(["human", "human", "ai", "ai", "ai", "tool", "system", "other"]);
    expect(list.lastElementChild!.textContent).toContain("remove");
    expect(list.lastElementChild!.textContent).toContain("m1");
  });

  it("renders content blocks: text blocks as text, others as JSON", () => {
    const el = renderMessage({
      type: "ai",
      content: [
        { type: "text", text: "first" },
        "second",
        { type: "image_url", image_url: { url: "data:..." } },
      ],
    });
    expect([...el.querySelectorAll(".lgw-msg-text")].map((t) => t.textContent)).toEqual(["first", "second"]);
    expect(mustQuery(el, ".lgw-msg-block .lgw-json").textContent).toContain("image_url");
  });

  it("does not repeat tool_use blocks that tool_calls already show", () => {
    const el = renderMessage({
      type: "ai",
      content: [{ type: "tool_use", id: "c1", name: "search", input: { q: 1 } }],
      tool_calls: [{ name: "search", args: { q: 1 }, id: "c1" }],
    });
    expect(el.querySelectorAll(".lgw-tool-call")).toHaveLength(1);
    expect(el.querySelector(".lgw-msg-block")).toBeNull();
  });

  it("parses string args (OpenAI style) as JSON", () => {
    const el = renderMessage({
      role: "assistant",
      content: null,
      tool_calls: [{ id: "c", type: "function", function: { name: "lookup", arguments: '{"city": "LA"}' } }],
    });
    expect(mustQuery(el, ".lgw-tool-name").textContent).toBe("lookup");
    expect(mustQuery(el, ".lgw-tool-args .lgw-json-key").textContent).toBe("city");
  });

  it("shows tool content that is not JSON as text", () => {
    const el = renderMessage({ type: "tool", name: "t", content: "{not json", status: "success" });
    expect(el.querySelector(".lgw-tool-result-json")).toBeNull();
    expect(mustQuery(el, ".lgw-tool-result").textContent).toBe("{not json");
  });

  it("marks empty AI content without tool calls", () => {
    const el = renderMessage({ type: "ai", content: "" });
    expect(mustQuery(el, ".lgw-msg-empty").textContent).toBe("(empty)");
  });

  it("unwraps LangChain's constructor form", () => {
    const el = renderMessage({ lc: 1, type: "constructor", id: ["langchain", "schema", "messages", "HumanMessage"], kwargs: { content: "hey" } });
    expect(el.dataset.lgwMsgType).toBe("human");
    expect(mustQuery(el, ".lgw-msg-text").textContent).toBe("hey");
  });

  it("renders a non-dict message as JSON", () => {
    const el = renderMessage(["human", "tuple form"]);
    expect(el.dataset.lgwMsgType).toBe("other");
    expect(el.textContent).toContain("tuple form");
  });

  it("shows invalid tool calls", () => {
    const el = renderMessage({ type: "ai", content: "x", invalid_tool_calls: [{ name: "bad", args: "{", error: "parse" }] });
    expect(mustQuery(el, ".lgw-invalid-tool-calls").textContent).toContain("invalid tool calls");
  });
});
