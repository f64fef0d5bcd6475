import { describe, expect, it, vi } from "vitest";
import { renderError } from "../src/render/error";
import { renderGeneric } from "../src/render/generic";
import { renderMetadata } from "../src/render/metadata";
import { RENDERERS, renderEvent } from "../src/render/entry";
import { click, mustQuery, rec } from "./helpers";

const ctx = { ordinal: () => 0 };

describe("metadata entry", () => {
  it("is one line with the run id and attempt", () => {
    const el = renderMetadata(rec(0, "metadata", { run_id: "01a20f50-e4ca", attempt: 1 }, { t: 0.74 }));
    expect(el.dataset.lgwEvent).toBe("metadata");
    expect(el.dataset.lgwSeq).toBe("0");
    expect(el.classList.contains("lgw-oneline")).toBe(true);
    expect(mustQuery(el, ".lgw-meta-run .lgw-id").textContent).toBe("01a20f50-e4ca");
    expect(mustQuery(el, ".lgw-meta-attempt").textContent).toBe("attempt 1");
    expect(mustQuery(el, ".lgw-time").textContent).toBe("+0.74 s");
    expect(mustQuery(el, ".lgw-entry-body").childElementCount).toBe(0);
  });

  it("shows the thread stream's run_done status and any other keys", () => {
    const el = renderMetadata(rec(3, "metadata", { status: "run_done", run_id: "r9", extra: 5 }));
    expect(mustQuery(el, ".lgw-meta-status").textContent).toBe("run_done");
    expect(mustQuery(el, ".lgw-entry-body").textContent).toContain("extra");
  });
});

describe("error entry", () => {
  it("shows the server's error and message", () => {
    const el = renderError(rec(4, "error", { error: "ValueError", message: "boom: deliberate failure in node 'boom'" }));
    expect(el.dataset.lgwEvent).toBe("error");
    expect(el.classList.contains("lgw-error")).toBe(true);
    expect(mustQuery(el, ".lgw-error-name").textContent).toBe("ValueError");
    expect(mustQuery(el, ".lgw-error-message").textContent).toBe("boom: deliberate failure in node 'boom'");
  });

  it("falls back to text or JSON for other shapes", () => {
    expect(mustQuery(renderError(rec(0, "error", "plain")), ".lgw-error-message").textContent).toBe("plain");
    const el = renderError(rec(0, "error", { detail: "x" }));
    expect(mustQuery(el, ".lgw-error-message .lgw-json").textContent).toContain("detail");
  });
});

describe("generic entry", () => {
  it("shows the event name and the data as JSON", () => {
    const el = renderGeneric(rec(2, "custom|research:74e9", { progress: "source 1/3", step: "search" }));
    expect(el.dataset.lgwEvent).toBe("custom");
    expect(el.dataset.lgwSeq).toBe("2");
    expect(mustQuery(el, ".lgw-event-name").textContent).toBe("custom|research:74e9");
    const keys = [...el.querySelectorAll(".lgw-json-key")].map((k) => k.textContent);
    expect(keys).toEqual(["progress", "step"]);
  });

  it("keeps unknown event names", () => {
    const el = renderEvent(rec(0, "some/new-thing", [1, 2]), ctx);
    expect(el.dataset.lgwEvent).toBe("some/new-thing");
    expect(el.classList.contains("lgw-generic")).toBe(true);
    expect(mustQuery(el, ".lgw-event-name").textContent).toBe("some/new-thing");
  });

  it("shows raw (non-JSON) data as clipped text, whatever the mode", () => {
    const raw = "not json " + "z".repeat(600);
    const el = renderEvent(rec(1, "updates", raw, { raw: true }), ctx);
    expect(el.classList.contains("lgw-generic")).toBe(true);
    expect(el.classList.contains("lgw-raw")).toBe(true);
    expect(el.dataset.lgwEvent).toBe("updates");
    const text = mustQuery(el, ".lgw-raw-text");
    expect(text.querySelector(".lgw-json")).toBeNull();
    expect(text.textContent).toContain("not json");
    click(mustQuery(text, "button.lgw-more"));
    expect(mustQuery(text, ".lgw-text-body").textContent).toBe(raw);
  });

  it("sets the node for messages tuples and tasks", () => {
    const msg = renderGeneric(rec(0, "messages", [{ type: "AIMessageChunk", content: "Sum" }, { langgraph_node: "summarize" }]));
    expect(msg.dataset.lgwNode).toBe("summarize");
    const task = renderGeneric(rec(1, "tasks", { id: "t1", name: "agent", input: {} }));
    expect(task.dataset.lgwNode).toBe("agent");
    expect(renderGeneric(rec(2, "values", { name: "x" })).dataset.lgwNode).toBeUndefined();
  });
});

describe("renderEvent", () => {
  it("dispatches by mode", () => {
    expect(renderEvent(rec(0, "metadata", { run_id: "r" }), ctx).classList.contains("lgw-oneline")).toBe(true);
    expect(renderEvent(rec(0, "error", { error: "E" }), ctx).classList.contains("lgw-error")).toBe(true);
    expect(renderEvent(rec(0, "updates", { a: 1 }), ctx).dataset.lgwNode).toBe("a");
    expect(renderEvent(rec(0, "values", { a: 1 }), ctx).classList.contains("lgw-generic")).toBe(true);
    expect(renderEvent(rec(0, "custom", { a: 1 }), ctx).dataset.lgwEvent).toBe("custom");
    expect(renderEvent(rec(0, "note", "hello"), ctx).classList.contains("lgw-note")).toBe(true);
    expect([...RENDERERS.keys()].sort()).toEqual(["custom", "error", "metadata", "note", "updates"]);
  });

  it("a renderer that throws degrades to a generic entry", () => {
    const err = vi.spyOn(console, "error").mockImplementation(() => {});
    const data = new Proxy(
      {},
      {
        ownKeys() {
          throw new Error("hostile");
        },
      },
    );
    const el = renderEvent(rec(5, "updates", data), ctx);
    expect(el.classList.contains("lgw-render-failed")).toBe(true);
    expect(el.dataset.lgwSeq).toBe("5");
    expect(err).toHaveBeenCalled();
    err.mockRestore();
  });
});
