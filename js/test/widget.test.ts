// The whole widget over real streams: test/fixtures/*.sse are raw response
// bytes of our own demo graphs (lgwidget/demo) from the in-memory LangGraph API
// server, recorded by scripts/record_fixtures.py. Ids differ per recording, so
// they are read from the fixtures, never written here.

import { afterEach, describe, expect, it } from "vitest";
import widget from "../src/index";
import { FakeKernel, FakeModel, mustQuery, parseSse } from "./helpers";
import combinedSse from "./fixtures/combined.sse?raw";
import errorSse from "./fixtures/error.sse?raw";
import interruptSse from "./fixtures/interrupt.sse?raw";
import subgraphsSse from "./fixtures/subgraphs.sse?raw";
import updatesSse from "./fixtures/updates.sse?raw";

const REPORT = "Report on tidal power: 3 sources agree (9 passages).";
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

const cleanups: Array<() => void> = [];
afterEach(() => {
  while (cleanups.length) cleanups.pop()!();
  document.body.replaceChildren();
});

function mount(model: FakeModel) {
  const el = document.createElement("div");
  document.body.append(el);
  const cleanup = widget.render!({ model, el } as never);
  if (typeof cleanup === "function") cleanups.push(cleanup as () => void);
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

  it("combined.sse: custom, token messages and updates with several keys", () => {
    const events = parseSse(combinedSse);
    const model = new FakeModel({ status: "done", _snapshot: events });
    const { entries } = mount(model);
    const list = entries();
    expect(list.map((e) => e.dataset.lgwEvent)).toEqual([
      "metadata",
      "custom",
      ...times(3, "messages"), // the tool call: two argument chunks and the last, empty one
      "updates",
      "messages", // the tool message, whole
      "updates",
      "updates", // the subgraph node's result (its own events need stream_subgraphs)
      "custom",
      ...times(10, "messages"), // the report, word by word, and the last, empty chunk
      "updates",
    ]);
    expect(list.map((e) => e.dataset.lgwNode)).toEqual([
      undefined,
      undefined,
      ...times(3, "agent"),
      "agent",
      "tools",
      "tools",
      "research",
      undefined,
      ...times(10, "agent"),
      "agent",
    ]);
    expect(list.some((e) => e.dataset.lgwNs)).toBe(false);
    expect(list[1]!.textContent).toContain("planning the research");
    expect(list[9]!.textContent).toContain("writing the report");

    // An update with messages and another key: the messages, then the rest as JSON.
    const plan = list[5]!;
    expect(mustQuery(plan, ".lgw-tool-call .lgw-tool-name").textContent).toBe("find_sources");
    expect(jsonKeys(plan, ".lgw-update-rest .lgw-json-key")).toEqual(["topic"]);
    expect(mustQuery(plan, ".lgw-update-rest").textContent).toContain("tidal power");
    expect(mustQuery(list[7]!, ".lgw-tool-result-json").textContent).toContain("encyclopedia");

    // An update without messages: JSON, top level open, nested lists still closed.
    const research = list[8]!;
    expect(research.querySelector(".lgw-msg")).toBeNull();
    expect(jsonKeys(research)).toEqual(["notes", "summary"]);
    expect(research.textContent).toContain("3 sources agree (9 passages).");

    // The tokens add up to the message of the node's update.
    const tokens = events.slice(10, 20).map((e) => (e.data as Array<{ content: string }>)[0]!.content);
    expect(tokens.join("")).toBe(REPORT);
    expect(mustQuery(list[20]!, ".lgw-msg-text").textContent).toBe(REPORT);
  });

  it("subgraphs.sse: namespaced events are marked and counted", () => {
    const events = parseSse(subgraphsSse);
    const model = new FakeModel({ status: "done", _snapshot: events });
    const { entries, root } = mount(model);
    expect(root.dataset.count).toBe(String(events.length));
    const list = entries();
    expect(list).toHaveLength(events.length);
    const sub = list.filter((e) => e.dataset.lgwNs);
    // One task of the research subgraph: every namespaced event has the same namespace.
    const ns = new Set(sub.map((e) => e.dataset.lgwNs));
    expect(ns.size).toBe(1);
    expect([...ns][0]).toMatch(/^research:[0-9a-f-]{36}$/);
    expect(sub.map((e) => e.dataset.lgwEvent)).toEqual([
      ...times(3, "custom"),
      "updates",
      "custom",
      ...times(6, "messages"),
      "updates",
    ]);
    for (const e of sub) {
      expect(e.classList.contains("lgw-sub")).toBe(true);
      expect(e.dataset.lgwDepth).toBe("1");
      expect(mustQuery(e, ".lgw-ns").textContent).toBe("research ›");
    }
    const subUpdates = sub.filter((e) => e.dataset.lgwEvent === "updates");
    expect(subUpdates.map((e) => e.dataset.lgwNode)).toEqual(["read", "summarize"]);
    expect(sub.filter((e) => e.dataset.lgwEvent === "messages").every((e) => e.dataset.lgwNode === "summarize")).toBe(true);
    expect(sub[0]!.textContent).toContain("reading the encyclopedia");

    // The parent's events around them are not namespaced; the subgraph node's
    // own update comes after all of its inner events.
    const parent = list.filter((e) => !e.dataset.lgwNs);
    expect(parent.filter((e) => e.dataset.lgwEvent === "updates").map((e) => e.dataset.lgwNode)).toEqual([
      "agent",
      "tools",
      "research",
      "agent",
    ]);
    const researchUpdate = parent.find((e) => e.dataset.lgwNode === "research")!;
    expect(list.indexOf(researchUpdate)).toBe(list.indexOf(sub[sub.length - 1]!) + 1);
    expect(mustQuery(list[list.length - 1]!, ".lgw-msg-text").textContent).toBe(REPORT);
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
