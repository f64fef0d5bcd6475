// The whole widget over real captured streams (test/fixtures/*.sse, copied
// from the reference captures of a LangGraph API server).

import { afterEach, describe, expect, it } from "vitest";
import widget from "../src/index";
import { FakeKernel, FakeModel, mustQuery, parseSse } from "./helpers";
import combinedSse from "./fixtures/combined.sse?raw";
import errorSse from "./fixtures/error.sse?raw";
import interruptSse from "./fixtures/interrupt.sse?raw";
import subgraphsSse from "./fixtures/subgraphs.sse?raw";
import updatesSse from "./fixtures/updates.sse?raw";

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

describe("widget over real streams", () => {
  it("updates.sse: a live run event by event", () => {
    const events = parseSse(updatesSse);
    expect(events.map((e) => e.event)).toEqual(["metadata", "updates", "updates", "updates"]);
    const model = new FakeModel({ status: "connecting", assistant_id: "agent", thread_id: "th" });
    const kernel = new FakeKernel(model);
    const { root, entries, el } = mount(model);
    expect(root.dataset.status).toBe("connecting");
    expect(root.dataset.count).toBe("0");
    expect(mustQuery(el, ".lgw-waiting").textContent).toBe("connecting…");

    model.set({ status: "streaming", run_id: "01a20f50-e4ca-70bb-88e3-58c17215a307", started: Date.now() });
    expect(root.dataset.status).toBe("streaming");
    expect(mustQuery(el, ".lgw-waiting").textContent).toBe("waiting for the first event…");

    for (const ev of events) kernel.push(ev);
    expect(root.dataset.count).toBe("4");
    const list = entries();
    expect(list.map((e) => e.dataset.lgwEvent)).toEqual(["metadata", "updates", "updates", "updates"]);
    expect(list.map((e) => e.dataset.lgwNode)).toEqual([undefined, "agent", "action", "agent"]);
    expect(list.map((e) => e.querySelector(".lgw-step")?.textContent)).toEqual([undefined, "step 1", "step 2", "step 3"]);
    expect(mustQuery(list[0]!, ".lgw-meta-run .lgw-id").textContent).toBe("01a20f50-e4ca-70bb-88e3-58c17215a307");
    expect(mustQuery(list[1]!, ".lgw-tool-call .lgw-tool-name").textContent).toBe("tavily_search_results_json");
    expect(mustQuery(list[2]!, ".lgw-tool-result-json").textContent).toContain("Los Angeles, CA");
    expect(mustQuery(list[3]!, ".lgw-msg-text").textContent).toBe("The weather in Los Angeles is sunny, 24 degrees C with light wind.");

    model.set({ status: "done", elapsed: 1.02 });
    expect(root.dataset.status).toBe("done");
    expect(mustQuery<HTMLButtonElement>(el, 'button[data-lgw-action="stop"]').hidden).toBe(true);
    expect(mustQuery(el, ".lgw-elapsed").textContent).toBe("1.0 s");
  });

  it("error.sse: the error entry and the error status", () => {
    const model = new FakeModel({ status: "error", error: "ValueError: boom", _snapshot: parseSse(errorSse) });
    const { root, entries } = mount(model);
    expect(root.dataset.status).toBe("error");
    const list = entries();
    expect(list.map((e) => e.dataset.lgwEvent)).toEqual(["metadata", "values", "updates", "values", "error"]);
    const err = list[4]!;
    expect(err.classList.contains("lgw-error")).toBe(true);
    expect(mustQuery(err, ".lgw-error-name").textContent).toBe("ValueError");
    expect(mustQuery(err, ".lgw-error-message").textContent).toBe("boom: deliberate failure in node 'boom'");
    expect(list[2]!.dataset.lgwNode).toBe("ok_step");
  });

  it("interrupt.sse: the interrupt entry", () => {
    const model = new FakeModel({ status: "interrupted", _snapshot: parseSse(interruptSse) });
    const { entries } = mount(model);
    const interrupt = entries().find((e) => e.dataset.lgwNode === "__interrupt__")!;
    expect(interrupt.dataset.lgwEvent).toBe("updates");
    expect(interrupt.classList.contains("lgw-interrupt")).toBe(true);
    expect(mustQuery(interrupt, ".lgw-interrupt-item").textContent).toContain("Approve action 'send_email'?");
    expect(mustQuery(interrupt, ".lgw-step").textContent).toBe("step 2");
  });

  it("combined.sse: custom, messages and updates with several keys", () => {
    const model = new FakeModel({ status: "done", _snapshot: parseSse(combinedSse) });
    const { entries } = mount(model);
    const list = entries();
    expect(list.map((e) => e.dataset.lgwEvent)).toEqual(["metadata", "custom", "updates", "messages", "updates", "messages", "updates"]);
    expect(list[3]!.dataset.lgwNode).toBe("research");
    const research = list[4]!;
    expect(research.dataset.lgwNode).toBe("research");
    expect(mustQuery(research, ".lgw-msg-text").textContent).toBe("Summary: three sources agree it is sunny.");
    // Keys other than messages: JSON, top level open, nested lists still closed.
    expect([...research.querySelectorAll(".lgw-update-rest .lgw-json-key")].map((k) => k.textContent)).toEqual(["topic", "notes"]);
  });

  it("subgraphs.sse: namespaced events are marked and counted", () => {
    const events = parseSse(subgraphsSse);
    const model = new FakeModel({ status: "done", _snapshot: events });
    const { entries, root } = mount(model);
    expect(root.dataset.count).toBe(String(events.length));
    const sub = entries().filter((e) => e.dataset.lgwNs);
    expect(sub.length).toBeGreaterThan(0);
    for (const e of sub) expect(e.dataset.lgwNs).toMatch(/^research:/);
    const subUpdate = sub.find((e) => e.dataset.lgwEvent === "updates")!;
    expect(subUpdate.dataset.lgwNode).toBe("search");
    expect(mustQuery(subUpdate, ".lgw-ns").textContent).toBe("research ›");
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
