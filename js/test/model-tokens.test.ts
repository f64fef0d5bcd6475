// The DOM-free token model over our own recordings: one growing message per
// id, its node, namespace and task; whole messages; partial snapshots.

import { describe, expect, it } from "vitest";
import { contentText, growth, MessageStreams, sameMessageId, type StreamUpdate } from "../src/model/tokens";
import { parseSse, rec } from "./helpers";
import combinedSse from "./fixtures/combined.sse?raw";
import messagesSse from "./fixtures/mode-messages.sse?raw";
import nestedSse from "./fixtures/nested.sse?raw";
import subgraphsModesSse from "./fixtures/subgraphs-modes.sse?raw";

const REPORT = "Report on tidal power: 3 sources agree (9 passages).";

function ingestAll(text: string) {
  const streams = new MessageStreams();
  const updates: StreamUpdate[] = [];
  const kinds: string[] = [];
  for (const ev of parseSse(text)) {
    if (!ev.mode.startsWith("messages")) continue;
    const r = streams.ingest(ev);
    kinds.push(r.kind);
    if (r.kind === "messages") updates.push(...r.updates);
  }
  return { streams, updates, kinds };
}

describe("MessageStreams: messages-tuple", () => {
  it("merges the chunks of one message id into one growing text", () => {
    const { updates } = ingestAll(combinedSse);
    const report = updates.filter((u) => u.msg.text.startsWith("Report"));
    const ids = new Set(report.map((u) => u.msg.id));
    expect(ids.size).toBe(1);
    // The text grows chunk by chunk; each update says what was appended.
    const texts = report.map((u) => u.msg.text);
    for (let i = 1; i < texts.length; i++) expect(texts[i]!.startsWith(texts[i - 1]!)).toBe(true);
    expect(texts[texts.length - 1]).toBe(REPORT);
    expect(report[0]!.created).toBe(true);
    expect(report.slice(1).every((u) => !u.created)).toBe(true);
    const appended = report.map((u) => (u.text && "append" in u.text ? u.text.append : "")).join("");
    const first = report[0]!;
    expect(appended).toBe(REPORT);
    expect(first.msg.node).toBe("agent");
    expect(first.msg.ns).toEqual([]);
    expect(first.msg.task).toMatch(/^[0-9a-f-]{36}$/);
    // The last chunk (chunk_position "last") finishes it.
    expect(first.msg.done).toBe(true);
    expect(first.msg.chunks).toBe(10);
  });

  it("merges tool call chunks: name, id and growing arguments", () => {
    const { updates } = ingestAll(combinedSse);
    const call = updates.find((u) => u.msg.toolCalls.length > 0)!.msg;
    expect(call.toolCalls).toHaveLength(1);
    expect(call.toolCalls[0]).toMatchObject({ name: "find_sources", id: "call_sources_1", args: '{"topic": "tidal power"}' });
    expect(call.text).toBe("");
    expect(call.whole).toBe(false);
  });

  it("keeps a message that arrives whole (the tool result) whole", () => {
    const { updates } = ingestAll(combinedSse);
    const tool = updates.find((u) => u.msg.type === "tool")!;
    expect(tool.msg.whole).toBe(true);
    expect(tool.msg.done).toBe(true);
    expect(tool.msg.node).toBe("tools");
    expect((tool.msg.message as { name: string }).name).toBe("find_sources");
  });

  it("takes the namespace from the event, two levels deep", () => {
    const { updates } = ingestAll(nestedSse);
    const summary = updates.find((u) => u.msg.text.startsWith("3 sources"))!.msg;
    expect(summary.node).toBe("summarize");
    expect(summary.ns).toHaveLength(2);
    expect(summary.ns[0]).toMatch(/^team:/);
    expect(summary.ns[1]).toMatch(/^research:/);
    const report = updates.find((u) => u.msg.text.startsWith("Report"))!.msg;
    expect(report.ns).toHaveLength(1);
    expect(report.node).toBe("agent");
  });

  it("chunks without an id of one task merge; a finished one starts a new message", () => {
    const s = new MessageStreams();
    const meta = { langgraph_node: "n", langgraph_checkpoint_ns: "n:t1" };
    const chunk = (content: string, last = false) => [{ type: "AIMessageChunk", content, ...(last ? { chunk_position: "last" } : {}) }, meta];
    const ids = [chunk("a"), chunk("b", true), chunk("c")].map((data, i) => {
      const r = s.ingest(rec(i, "messages", data));
      return r.kind === "messages" ? r.updates[0]!.msg : null;
    });
    expect(ids[0]!.id).toBe(ids[1]!.id);
    expect(ids[1]!.text).toBe("ab");
    expect(ids[2]!.id).not.toBe(ids[0]!.id);
    expect(ids[2]!.text).toBe("c");
  });

  it("leaves what it does not understand to a generic entry", () => {
    const s = new MessageStreams();
    expect(s.ingest(rec(0, "messages", "text")).kind).toBe("unknown");
    expect(s.ingest(rec(1, "messages", [{ content: "x" }, { no_node: 1 }])).kind).toBe("unknown");
    expect(s.ingest(rec(2, "messages/metadata", [1])).kind).toBe("unknown");
    expect(s.ingest(rec(3, "messages", "x", { raw: true })).kind).toBe("unknown");
  });
});

describe("MessageStreams: messages (partial / metadata / complete)", () => {
  it("takes the node from the earlier messages/metadata and grows the snapshot text", () => {
    const { updates, kinds } = ingestAll(messagesSse);
    expect(kinds.filter((k) => k === "absorbed")).toHaveLength(3); // one messages/metadata per message
    const report = updates.filter((u) => u.msg.text.startsWith("Report"));
    expect(new Set(report.map((u) => u.msg.id)).size).toBe(1);
    expect(report[0]!.msg.node).toBe("agent");
    expect(report[report.length - 1]!.msg.text).toBe(REPORT);
    // Snapshots that extend the text append only the difference.
    expect(report.slice(1).every((u) => u.text === null || "append" in u.text)).toBe(true);
    const tool = updates.find((u) => u.msg.type === "tool")!;
    expect(tool.msg.whole).toBe(true); // messages/complete with nothing streamed before
    expect(tool.msg.node).toBe("tools");
    const call = updates.find((u) => u.msg.toolCalls.length > 0)!.msg;
    expect(call.toolCalls[0]).toMatchObject({ name: "find_sources", args: '{"topic":"tidal power"}' });
  });

  it("places un-namespaced partials of a subgraph by their checkpoint namespace", () => {
    const { updates } = ingestAll(subgraphsModesSse);
    const summary = updates.find((u) => u.msg.text.startsWith("3 sources"))!.msg;
    expect(summary.node).toBe("summarize");
    expect(summary.ns).toHaveLength(1);
    expect(summary.ns[0]).toMatch(/^research:[0-9a-f-]{36}$/);
    expect(summary.task).toMatch(/^[0-9a-f-]{36}$/);
  });
});

describe("helpers", () => {
  it("growth appends when the text extends, else replaces", () => {
    expect(growth("ab", "abc")).toEqual({ append: "c" });
    expect(growth("ab", "ab")).toBeNull();
    expect(growth("ab", "xy")).toEqual({ replace: true });
  });

  it("contentText reads strings and text blocks", () => {
    expect(contentText("hi")).toBe("hi");
    expect(contentText([{ type: "text", text: "a" }, "b", { type: "tool_use", input: {} }])).toBe("ab");
    expect(contentText(null)).toBe("");
  });

  it("sameMessageId matches the numbered id of a non-streamed generation", () => {
    expect(sameMessageId("lc_run--1", "lc_run--1")).toBe(true);
    expect(sameMessageId("lc_run--1", "lc_run--1-0")).toBe(true);
    expect(sameMessageId("lc_run--1", "lc_run--12")).toBe(false);
    expect(sameMessageId("lc_run--1", null)).toBe(false);
  });
});

/** The thread event stream's `messages` records (protocol v2 content blocks), as lgwidget/feeds/thread_stream.py makes them. */
function blockEvents(id: string, blocks: Array<Record<string, unknown>>, from = 0, ns = "") {
  const event = ns ? `messages|${ns}` : "messages";
  const data = [{ event: "message-start", role: "ai", id }, ...blocks, { event: "message-finish" }];
  return data.map((d, i) => rec(from + i, event, d));
}

describe("MessageStreams: thread event stream content blocks", () => {
  it("grows the text blocks and the tool call blocks of one message", () => {
    const s = new MessageStreams();
    const evs = [
      ...blockEvents("m1", [
        { event: "content-block-start", index: 0, content: { type: "tool_call_chunk", id: "c1", name: "search", args: "", index: 0 } },
        { event: "content-block-delta", index: 0, delta: { type: "tool-call-delta", args: '{"q": "ti' } },
        { event: "content-block-delta", index: 0, delta: { type: "tool-call-delta", args: 'dal"}' } },
        { event: "content-block-finish", index: 0, content: { type: "tool_call", id: "c1", name: "search", args: { q: "tidal" } } },
      ]),
      ...blockEvents(
        "m2",
        [
          { event: "content-block-start", index: 0, content: { type: "text", text: "" } },
          { event: "content-block-delta", index: 0, delta: { type: "text-delta", text: "Hello " } },
          { event: "content-block-delta", index: 0, delta: { type: "text-delta", text: "world." } },
          { event: "content-block-finish", index: 0, content: { type: "text", text: "Hello world." } },
        ],
        6,
      ),
    ];
    const all = evs.flatMap((e) => {
      const r = s.ingest(e);
      expect(r.kind).toBe("messages");
      return r.kind === "messages" ? r.updates : [];
    });
    const m1 = s.get("m1")!;
    expect(m1.toolCalls).toEqual([{ key: "ib0", id: "c1", name: "search", args: '{"q":"tidal"}' }]);
    expect(m1.done).toBe(true);
    const m2 = s.get("m2")!;
    expect(m2.text).toBe("Hello world.");
    expect(m2.done).toBe(true);
    const texts = all.filter((u) => u.msg.id === "m2" && u.text !== null).map((u) => u.text);
    expect(texts).toEqual([{ append: "Hello " }, { append: "world." }]);
    expect(all.filter((u) => u.created).map((u) => u.msg.id)).toEqual(["m1", "m2"]);
  });
});
