// The whole widget over real streams: test/fixtures/*.sse are raw response
// bytes of our own demo graphs (lgwidget/demo) from the in-memory LangGraph API
// server, recorded by scripts/record_fixtures.py. Ids differ per recording, so
// they are read from the fixtures, never written here.

import { describe, expect, it } from "vitest";
import { FakeKernel, FakeModel, mountWidget, mustQuery, parseSse } from "./helpers";
import combinedSse from "./fixtures/combined.sse?raw";
import errorSse from "./fixtures/error.sse?raw";
import interruptSse from "./fixtures/interrupt.sse?raw";
import subgraphsSse from "./fixtures/subgraphs.sse?raw";
import updatesSse from "./fixtures/updates.sse?raw";

const REPORT = "Report on tidal power: 3 sources agree (9 passages).";
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

function mount(model: FakeModel) {
  const el = mountWidget(model);
  const root = mustQuery(el, ".lgw-timeline");
  const entries = () => [...el.querySelectorAll<HTMLElement>(".lgw-entries > .lgw-entry")];
  return { el, root, entries };
}

/** `n` copies of `name`. */
const times = (n: number, name: string): string[] => Array<string>(n).fill(name);

/** The keys a JSON view shows under `el` (collapsed branches show none of theirs). */
const jsonKeys = (el: Element, selector = ".lgw-json-key"): Array<string | null> =>
  [...el.querySelectorAll(selector)].map((k) => k.textContent);

describe("widget over real streams", () => {
  it("updates.sse: a live run event by event", () => {
    const events = parseSse(updatesSse);
    expect(events.map((e) => e.event)).toEqual(["metadata", "updates", "updates", "updates"]);
    const runId = (events[0]!.data as { run_id: string }).run_id;
    expect(runId).toMatch(UUID);
    const model = new FakeModel({ status: "connecting", assistant_id: "weather", thread_id: "th" });
    const kernel = new FakeKernel(model);
    const { root, entries, el } = mount(model);
    expect(root.dataset.status).toBe("connecting");
    expect(root.dataset.count).toBe("0");
    expect(mustQuery(el, ".lgw-waiting").textContent).toBe("connecting…");

    model.set({ status: "streaming", run_id: runId, started: Date.now() });
    expect(root.dataset.status).toBe("streaming");
    expect(mustQuery(el, ".lgw-waiting").textContent).toBe("waiting for the first event…");

    for (const ev of events) kernel.push(ev);
    expect(root.dataset.count).toBe("4");
    const list = entries();
    expect(list.map((e) => e.dataset.lgwEvent)).toEqual(["metadata", "updates", "updates", "updates"]);
    expect(list.map((e) => e.dataset.lgwNode)).toEqual([undefined, "agent", "action", "agent"]);
    expect(list.map((e) => e.querySelector(".lgw-step")?.textContent)).toEqual([undefined, "step 1", "step 2", "step 3"]);
    expect(mustQuery(list[0]!, ".lgw-meta-run .lgw-id").textContent).toBe(runId);
    expect(mustQuery(list[1]!, ".lgw-tool-call .lgw-tool-name").textContent).toBe("tavily_search_results_json");
    expect(mustQuery(list[2]!, ".lgw-tool-result-json").textContent).toContain("Los Angeles, CA");
    expect(mustQuery(list[3]!, ".lgw-msg-text").textContent).toBe("The weather in Los Angeles is sunny, 24 degrees C with light wind.");

    model.set({ status: "done", elapsed: 1.02 });
    expect(root.dataset.status).toBe("done");
    expect(mustQuery<HTMLButtonElement>(el, 'button[data-lgw-action="stop"]').hidden).toBe(true);
    expect(mustQuery(el, ".lgw-elapsed").textContent).toBe("1.0 s");
  });

  it("error.sse: the error entry and the error status", () => {
    const model = new FakeModel({
      status: "error",
      error: "ValueError: the demo graph failed on purpose",
      _snapshot: parseSse(errorSse),
    });
    const { root, entries } = mount(model);
    expect(root.dataset.status).toBe("error");
    const list = entries();
    expect(list.map((e) => e.dataset.lgwEvent)).toEqual(["metadata", "values", "updates", "values", "error"]);
    const err = list[4]!;
    expect(err.classList.contains("lgw-error")).toBe(true);
    expect(mustQuery(err, ".lgw-error-name").textContent).toBe("ValueError");
    expect(mustQuery(err, ".lgw-error-message").textContent).toBe("the demo graph failed on purpose");
    // The update before the failure is kept and shown.
    expect(list[2]!.dataset.lgwNode).toBe("prepare");
    expect(jsonKeys(list[2]!)).toEqual(["value"]);
  });

  it("interrupt.sse: the interrupt entry", () => {
    const model = new FakeModel({ status: "interrupted", _snapshot: parseSse(interruptSse) });
    const { entries } = mount(model);
    const list = entries();
    expect(list.map((e) => e.dataset.lgwEvent)).toEqual(["metadata", "values", "updates", "values", "updates", "values"]);
    expect(list[2]!.dataset.lgwNode).toBe("agent");
    expect(mustQuery(list[2]!, ".lgw-tool-call .lgw-tool-name").textContent).toBe("send_email");
    const interrupt = list.find((e) => e.dataset.lgwNode === "__interrupt__")!;
    expect(interrupt).toBe(list[4]);
    expect(interrupt.dataset.lgwEvent).toBe("updates");
    expect(interrupt.classList.contains("lgw-interrupt")).toBe(true);
    const item = mustQuery(interrupt, ".lgw-interrupt-item");
    expect(item.textContent).toContain("Send this email?");
    expect(item.textContent).toContain("send_email");
    expect(mustQuery(interrupt, ".lgw-step").textContent).toBe("step 2");
  });

  it("combined.sse: custom, tokens merged into their node's entry, updates with several keys", () => {
    const events = parseSse(combinedSse);
    const model = new FakeModel({ status: "done", _snapshot: events });
    const { entries, root } = mount(model);
    expect(root.dataset.count).toBe(String(events.length));
    const list = entries();
    // No entry per token: the tokens live in the entry of the node that streamed them.
    expect(list.map((e) => e.dataset.lgwEvent)).toEqual([
      "metadata",
      "custom",
      "updates", // agent: its tool call streamed (3 chunks), then its update
      "updates", // tools: its tool message arrived whole, then its update
      "updates", // research (its own events need stream_subgraphs)
      "custom",
      "updates", // agent: the report, 10 chunks, then its update
    ]);
    expect(list.map((e) => e.dataset.lgwNode)).toEqual([undefined, undefined, "agent", "tools", "research", undefined, "agent"]);
    expect(root.querySelectorAll('.lgw-entry[data-lgw-event="messages"]')).toHaveLength(0);
    expect(list.some((e) => e.dataset.lgwNs)).toBe(false);
    expect(list[1]!.textContent).toContain("planning the research");
    expect(list[5]!.textContent).toContain("writing the report");
    // The seq of a filled node entry is its update's.
    const seqOf = (pred: (e: (typeof events)[number]) => boolean, from = 0) => events.findIndex((e, i) => i >= from && pred(e));
    const agentUpdate = seqOf((e) => e.mode === "updates");
    expect(list[2]!.dataset.lgwSeq).toBe(String(agentUpdate));

    // An update with messages and another key: the messages, then the rest as JSON.
    const plan = list[2]!;
    expect(mustQuery(plan, ".lgw-tool-call .lgw-tool-name").textContent).toBe("find_sources");
    expect(jsonKeys(plan, ".lgw-update-rest .lgw-json-key")).toEqual(["topic"]);
    expect(mustQuery(plan, ".lgw-update-rest").textContent).toContain("tidal power");
    // The streamed copy of the message was replaced by the update's message.
    expect(plan.querySelectorAll(".lgw-tool-call")).toHaveLength(1);
    expect(plan.querySelector(".lgw-stream")).toBeNull();
    expect(mustQuery(list[3]!, ".lgw-tool-result-json").textContent).toContain("encyclopedia");
    expect(list[3]!.querySelectorAll('.lgw-msg[data-lgw-msg-type="tool"]')).toHaveLength(1);

    // An update without messages: JSON, top level open, nested lists still closed.
    const research = list[4]!;
    expect(research.querySelector(".lgw-msg")).toBeNull();
    expect(jsonKeys(research)).toEqual(["notes", "summary"]);
    expect(research.textContent).toContain("3 sources agree (9 passages).");

    // The tokens add up to the message of the node's update, which is shown once.
    const tokens = events.filter((e) => e.mode === "messages").map((e) => (e.data as Array<{ content: string }>)[0]!.content);
    expect(tokens.join("")).toContain(REPORT);
    const report = list[6]!;
    expect(report.querySelectorAll(".lgw-msg-text")).toHaveLength(1);
    expect(mustQuery(report, ".lgw-msg-text").textContent).toBe(REPORT);
  });

  it("subgraphs.sse: namespaced events nest inside the entry of the node that ran the subgraph", () => {
    const events = parseSse(subgraphsSse);
    const model = new FakeModel({ status: "done", _snapshot: events });
    const { entries, root } = mount(model);
    expect(root.dataset.count).toBe(String(events.length));
    // Top level: the parent graph only.
    const list = entries();
    expect(list.some((e) => e.dataset.lgwNs)).toBe(false);
    expect(list.filter((e) => e.dataset.lgwEvent === "updates").map((e) => e.dataset.lgwNode)).toEqual(["agent", "tools", "research", "agent"]);
    const research = mustQuery(root, '.lgw-entries > .lgw-entry[data-lgw-node="research"]');
    const researchUpdate = events.find((e) => e.mode === "updates" && e.ns.length === 0 && "research" in (e.data as object))!;
    expect(research.dataset.lgwEvent).toBe("updates");
    expect(research.dataset.lgwSeq).toBe(String(researchUpdate.seq));
    // Inside it: every namespaced event that has an entry of its own, in order.
    const sub = [...research.querySelectorAll<HTMLElement>(".lgw-children > .lgw-entry")];
    const ns = new Set(sub.map((e) => e.dataset.lgwNs));
    expect(ns.size).toBe(1);
    expect([...ns][0]).toMatch(/^research:[0-9a-f-]{36}$/);
    expect(mustQuery(research, ".lgw-subgraph").dataset.lgwNs).toBe([...ns][0]);
    expect(mustQuery(research, ".lgw-subgraph-head .lgw-ns-path").textContent).toBe("research");
    expect(sub.map((e) => e.dataset.lgwEvent)).toEqual([...times(3, "custom"), "updates", "custom", "updates"]);
    expect(sub.map((e) => e.dataset.lgwNode)).toEqual([undefined, undefined, undefined, "read", undefined, "summarize"]);
    for (const e of sub) {
      expect(e.classList.contains("lgw-sub")).toBe(true);
      expect(mustQuery(e, ".lgw-ns").textContent).toBe("research ›");
    }
    expect(sub[0]!.textContent).toContain("reading the encyclopedia");
    // The subgraph's tokens stream into summarize's entry, which its update then fills.
    const summarize = sub[5]!;
    const stream = mustQuery(summarize, ".lgw-stream-msg");
    expect(stream.textContent).toContain("3 sources agree (9 passages).");
    expect(stream.dataset.lgwChunks).toBe("6");
    expect(jsonKeys(summarize, ".lgw-update .lgw-json-key")).toEqual(["summary"]);
    // The parent's own update is in the same entry, after the subgraph.
    expect(jsonKeys(research, ":scope > .lgw-entry-body > .lgw-update .lgw-json-key")).toEqual(["notes", "summary"]);
    const report = list[list.length - 1]!;
    expect(mustQuery(report, ".lgw-msg-text").textContent).toBe(REPORT);
  });

  it("a view mounted mid-run catches up through hello, then follows", () => {
    const events = parseSse(updatesSse);
    const model = new FakeModel({ status: "streaming", started: Date.now() });
    const kernel = new FakeKernel(model);
    kernel.push(...events.slice(0, 3)); // before any view exists: lost
    const { root, entries } = mount(model);
    expect(root.dataset.count).toBe("3");
    kernel.push(events[3]!);
    expect(entries().map((e) => e.dataset.lgwSeq)).toEqual(["0", "1", "2", "3"]);
  });
});
