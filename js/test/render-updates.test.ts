import { describe, expect, it } from "vitest";
import { renderUpdates } from "../src/render/updates";
import { createTimeline } from "../src/render/timeline";
import { EventStore } from "../src/store";
import type { EventRecord } from "../src/types";
import { click, mustQuery, rec } from "./helpers";

const ctx = (step: number) => ({ ordinal: () => step - 1 });
const render = (data: unknown, extra: Partial<EventRecord> = {}, step = 1) =>
  renderUpdates(rec(7, "updates", data, { t: 0.912, ...extra }), ctx(step));

const aiToolCall = {
  content: "",
  type: "ai",
  name: null,
  id: "lc_run--1",
  tool_calls: [{ name: "tavily_search_results_json", args: { query: "weather in los angeles" }, id: "call_weather_1", type: "tool_call" }],
  invalid_tool_calls: [],
};
const toolResult = {
  content: '{"location": "Los Angeles, CA", "temp_c": 24, "condition": "Sunny", "wind_kph": 9}',
  type: "tool",
  name: "tavily_search_results_json",
  tool_call_id: "call_weather_1",
  status: "success",
};

describe("updates entry", () => {
  it("has the DOM hooks, node name, step and time", () => {
    const el = render({ agent: { messages: [] } }, {}, 3);
    expect(el.classList.contains("lgw-entry")).toBe(true);
    expect(el.dataset.lgwEvent).toBe("updates");
    expect(el.dataset.lgwSeq).toBe("7");
    expect(el.dataset.lgwNode).toBe("agent");
    const head = mustQuery(el, ".lgw-entry-head");
    expect(mustQuery(head, ".lgw-node-name").textContent).toBe("agent");
    expect(mustQuery(head, ".lgw-step").textContent).toBe("step 3");
    expect(mustQuery(head, ".lgw-time").textContent).toBe("+0.91 s");
  });

  it("numbers steps among updates events only", () => {
    const store = new EventStore();
    const tl = createTimeline(store);
    store.append(0, [
      rec(0, "metadata", { run_id: "r" }),
      rec(1, "updates", { a: {} }),
      rec(2, "values", {}),
      rec(3, "updates", { b: {} }),
      rec(4, "custom", 1),
      rec(5, "updates", { c: {} }),
    ]);
    const steps = [...tl.el.querySelectorAll('.lgw-entry[data-lgw-event="updates"] .lgw-step')].map((s) => s.textContent);
    expect(steps).toEqual(["step 1", "step 2", "step 3"]);
  });

  it("renders an AI tool call: name and args as JSON", () => {
    const el = render({ agent: { messages: [aiToolCall] } });
    const msg = mustQuery(el, '.lgw-msg[data-lgw-msg-type="ai"]');
    const call = mustQuery(msg, ".lgw-tool-call");
    expect(mustQuery(call, ".lgw-tool-name").textContent).toBe("tavily_search_results_json");
    expect(mustQuery(call, ".lgw-tool-call-id").textContent).toBe("call_weather_1");
    const args = mustQuery(call, ".lgw-tool-args .lgw-json");
    expect(mustQuery(args, ".lgw-json-key").textContent).toBe("query");
    expect(mustQuery(args, ".lgw-json-string").textContent).toBe('"weather in los angeles"');
    // Empty content next to tool calls shows nothing, not "(empty)".
    expect(msg.querySelector(".lgw-msg-empty")).toBeNull();
    expect(msg.querySelector(".lgw-msg-text")).toBeNull();
  });

  it("renders a tool result: name, status and JSON content parsed", () => {
    const el = render({ action: { messages: [toolResult] } });
    const msg = mustQuery(el, '.lgw-msg[data-lgw-msg-type="tool"]');
    expect(mustQuery(msg, ".lgw-tool-name").textContent).toBe("tavily_search_results_json");
    expect(mustQuery(msg, ".lgw-tool-status").textContent).toBe("success");
    const json = mustQuery(msg, ".lgw-tool-result-json .lgw-json");
    const keys = [...json.querySelectorAll(".lgw-json-key")].map((k) => k.textContent);
    expect(keys).toEqual(["location", "temp_c", "condition", "wind_kph"]);
    expect(json.querySelector(".lgw-json-number")?.textContent).toBe("24");
  });

  it("renders AI text and human text", () => {
    const el = render({
      agent: {
        messages: [
          { type: "human", content: "what is the weather?" },
          { type: "ai", content: "Sunny, 24 C.", tool_calls: [] },
        ],
      },
    });
    const msgs = [...el.querySelectorAll<HTMLElement>(".lgw-msg")];
    expect(msgs.map((m) => m.dataset.lgwMsgType)).toEqual(["human", "ai"]);
    expect(mustQuery(msgs[0]!, ".lgw-msg-text").textContent).toBe("what is the weather?");
    expect(mustQuery(msgs[1]!, ".lgw-msg-text").textContent).toBe("Sunny, 24 C.");
  });

  it("accepts a single message instead of a list", () => {
    const el = render({ agent: { messages: { role: "assistant", content: "one" } } });
    expect(el.querySelectorAll(".lgw-msg")).toHaveLength(1);
    expect(mustQuery(el, ".lgw-msg").dataset.lgwMsgType).toBe("ai");
  });

  it("shows the update's other keys as JSON next to the messages", () => {
    const el = render({ research: { messages: [{ type: "ai", content: "done" }], topic: "weather", notes: ["a", "b"] } });
    const rest = mustQuery(el, ".lgw-update-rest");
    const keys = [...rest.querySelectorAll(".lgw-json-key")].map((k) => k.textContent);
    expect(keys).toEqual(["topic", "notes"]);
    expect(rest.textContent).not.toContain("done");
  });

  it("shows an update without messages as JSON", () => {
    const el = render({ plan: { topic: "weather in los angeles" } });
    const block = mustQuery(el, '.lgw-node-block[data-lgw-node="plan"]');
    expect(mustQuery(block, ".lgw-json-key").textContent).toBe("topic");
    expect(block.querySelector(".lgw-msg")).toBeNull();
  });

  it("renders one sub-block per node when several nodes update at once", () => {
    const el = render({ left: { x: 1 }, right: { messages: [{ type: "ai", content: "hi" }] } });
    expect(el.dataset.lgwNode).toBe("left");
    const blocks = [...el.querySelectorAll<HTMLElement>(".lgw-node-block")];
    expect(blocks.map((b) => b.dataset.lgwNode)).toEqual(["left", "right"]);
    expect(mustQuery(blocks[0]!, ".lgw-node-title").textContent).toBe("left");
    expect(blocks[1]!.querySelector(".lgw-msg-text")?.textContent).toBe("hi");
    // Both names in the head line.
    expect([...el.querySelectorAll(".lgw-entry-head .lgw-node-name")].map((n) => n.textContent)).toEqual(["left", "right"]);
  });

  it("renders a null (or other non-dict) node update as JSON", () => {
    const el = render({ noop: null });
    expect(el.dataset.lgwNode).toBe("noop");
    expect(mustQuery(el, ".lgw-node-block .lgw-json-null").textContent).toBe("null");
  });

  it("renders non-dict data as JSON with no node", () => {
    for (const data of [null, [1, 2], "text", {}]) {
      const el = render(data);
      expect(el.dataset.lgwNode).toBeUndefined();
      expect(el.querySelector(".lgw-json")).not.toBeNull();
      expect(mustQuery(el, ".lgw-step").textContent).toBe("step 1");
    }
  });

  it("renders __interrupt__ as an interrupt entry with each value as JSON", () => {
    const el = render({
      __interrupt__: [
        { value: { question: "Approve action 'send_email'?", action: "send_email" }, id: "1a73", response_schema: null },
        { value: "second" },
      ],
    });
    expect(el.dataset.lgwNode).toBe("__interrupt__");
    expect(el.classList.contains("lgw-interrupt")).toBe(true);
    const items = el.querySelectorAll(".lgw-interrupt-item");
    expect(items).toHaveLength(2);
    const keys = [...items[0]!.querySelectorAll(".lgw-json-key")].map((k) => k.textContent);
    expect(keys).toEqual(["question", "action"]);
    expect(items[0]!.textContent).toContain("\"Approve action 'send_email'?\"");
    expect(mustQuery(items[0]!, ".lgw-interrupt-id").textContent).toBe("id 1a73");
    // Only the value is shown, not the envelope.
    expect(items[0]!.textContent).not.toContain("response_schema");
    // A string value is the question itself.
    expect(mustQuery(items[1]!, ".lgw-interrupt-question").textContent).toBe("second");
    expect(mustQuery(items[0]!, ".lgw-interrupt-question").textContent).toBe("Approve action 'send_email'?");
  });

  it("renders a breakpoint (an empty __interrupt__ list)", () => {
    const el = render({ __interrupt__: [] });
    expect(el.classList.contains("lgw-breakpoint")).toBe(true);
    expect(mustQuery(el, ".lgw-interrupt-label").textContent).toBe("breakpoint");
    expect(mustQuery(el, ".lgw-breakpoint-note").textContent).toBe("paused at a breakpoint");
  });

  it("clips long tool output text with show more", () => {
    const long = "line of output ".repeat(100);
    const el = render({ action: { messages: [{ type: "tool", name: "t", content: long, status: "error" }] } });
    const result = mustQuery(el, ".lgw-tool-result");
    expect(result.textContent!.length).toBeLessThan(long.length);
    expect(mustQuery(el, ".lgw-tool-status").dataset.status).toBe("error");
    click(mustQuery(result, "button.lgw-more"));
    expect(mustQuery(result, ".lgw-text-body").textContent).toBe(long);
  });

  it("marks subgraph updates with their namespace", () => {
    const el = renderUpdates(rec(3, "updates|research:74e9", { search: { notes: [] } }), ctx(2));
    expect(el.dataset.lgwEvent).toBe("updates");
    expect(el.dataset.lgwNs).toBe("research:74e9");
    expect(el.dataset.lgwDepth).toBe("1");
    expect(mustQuery(el, ".lgw-ns").textContent).toBe("research ›");
    expect(el.dataset.lgwNode).toBe("search");
  });
});
