// Each stream mode through the whole widget, over our own recordings
// (test/fixtures, from scripts/record_fixtures.py), fed event by event the
// way the kernel sends them.

import { describe, expect, it } from "vitest";
import type { EventRecord } from "../src/types";
import { parseTimestamp } from "../src/model/tasks";
import { formatDuration } from "../src/render/tasks";
import { FakeKernel, FakeModel, mountWidget, click, mustQuery, parseSse, rec } from "./helpers";
import combinedSse from "./fixtures/combined.sse?raw";
import messagesSse from "./fixtures/mode-messages.sse?raw";
import tupleSse from "./fixtures/mode-messages-tuple.sse?raw";
import valuesSse from "./fixtures/mode-values.sse?raw";
import customSse from "./fixtures/mode-custom.sse?raw";
import tasksSse from "./fixtures/mode-tasks.sse?raw";
import tasksErrorSse from "./fixtures/tasks-error.sse?raw";
import checkpointsSse from "./fixtures/mode-checkpoints.sse?raw";
import debugSse from "./fixtures/mode-debug.sse?raw";
import eventsSse from "./fixtures/mode-events.sse?raw";
import nestedSse from "./fixtures/nested.sse?raw";
import subgraphsModesSse from "./fixtures/subgraphs-modes.sse?raw";

const REPORT = "Report on tidal power: 3 sources agree (9 passages).";

function mount(model: FakeModel) {
  const el = mountWidget(model);
  const list = mustQuery(el, ".lgw-entries");
  const top = () => [...list.querySelectorAll<HTMLElement>(":scope > .lgw-entry")];
  return { el, list, top };
}

/** A live widget fed by a fake kernel. */
function live() {
  const model = new FakeModel({ status: "streaming", started: Date.now() });
  const kernel = new FakeKernel(model);
  return { model, kernel, ...mount(model) };
}

function finished(text: string) {
  const events = parseSse(text);
  const model = new FakeModel({ status: "done", _snapshot: events });
  return { events, model, ...mount(model) };
}

const isReportChunk = (e: EventRecord) =>
  e.mode === "messages" && Array.isArray(e.data) && typeof (e.data[0] as { content?: unknown }).content === "string";

describe("tokens (messages-tuple)", () => {
  it("grow in one text node inside the node's entry, before the node's update lands", () => {
    const events = parseSse(combinedSse);
    const { kernel, list, top } = live();
    const firstReport = events.findIndex((e) => isReportChunk(e) && (e.data as [{ content: string }])[0].content.startsWith("Report"));
    const reportUpdate = events.findIndex((e, i) => i > firstReport && e.mode === "updates");
    kernel.push(...events.slice(0, firstReport + 1));
    const entriesBefore = top().length;
    const agent = top()[top().length - 1]!;
    expect(agent.dataset.lgwNode).toBe("agent");
    expect(agent.dataset.lgwEvent).toBe("node");
    expect(agent.dataset.lgwState).toBe("running");
    expect(agent.dataset.lgwSeq).toBe(String(firstReport));
    const textEl = mustQuery(agent, ".lgw-stream-text");
    const textNode = textEl.firstChild as Text;
    expect(textNode.data).toBe("Report ");

    // Each further token changes only that text node.
    const observer = new MutationObserver(() => {});
    observer.observe(list, { subtree: true, childList: true, characterData: true });
    const seen: string[] = [textNode.data];
    for (let seq = firstReport + 1; seq < reportUpdate; seq++) {
      kernel.push(events[seq]!);
      const records = observer.takeRecords();
      expect(records.filter((r) => r.type === "childList")).toEqual([]);
      for (const r of records) expect(r.target).toBe(textNode);
      seen.push(textNode.data);
      expect(top()).toHaveLength(entriesBefore); // no entry per token
    }
    observer.disconnect();
    // The text grew across the appends, while the run was still streaming.
    for (let i = 1; i < seen.length; i++) expect(seen[i]!.startsWith(seen[i - 1]!)).toBe(true);
    expect(seen[seen.length - 1]).toBe(REPORT);
    expect(mustQuery(agent, ".lgw-stream-msg").dataset.lgwState).toBe("done"); // chunk_position "last"

    // The update lands: the same entry, now the node's update, the message shown once.
    kernel.push(events[reportUpdate]!);
    expect(top()).toHaveLength(entriesBefore);
    expect(agent.dataset.lgwEvent).toBe("updates");
    expect(agent.dataset.lgwSeq).toBe(String(reportUpdate));
    expect(agent.dataset.lgwState).toBe("done");
    expect(agent.querySelector(".lgw-node-state")).toBeNull();
    expect(agent.querySelectorAll(".lgw-msg-text")).toHaveLength(1);
    expect(mustQuery(agent, ".lgw-msg-text").textContent).toBe(REPORT);
    expect(mustQuery(agent, ".lgw-step").textContent).toBe("step 4");
  });

  it("stream tool call chunks: the name, then the arguments growing", () => {
    const events = parseSse(combinedSse);
    const { kernel, top } = live();
    const first = events.findIndex((e) => e.mode === "messages");
    kernel.push(...events.slice(0, first + 1));
    const agent = top()[top().length - 1]!;
    const call = mustQuery(agent, ".lgw-tool-call-streaming");
    expect(mustQuery(call, ".lgw-tool-name").textContent).toBe("find_sources");
    expect(mustQuery(call, ".lgw-tool-call-id").textContent).toBe("call_sources_1");
    const args = mustQuery(call, ".lgw-tool-args-text");
    expect(args.textContent).toBe('{"topic": "t');
    kernel.push(events[first + 1]!);
    expect(args.textContent).toBe('{"topic": "tidal power"}');
  });

  it("messages-tuple alone: one entry per node run, each with its messages", () => {
    const { top, el } = finished(tupleSse);
    const nodes = top().filter((e) => e.dataset.lgwEvent === "node");
    expect(nodes.map((e) => e.dataset.lgwNode)).toEqual(["agent", "tools", "agent"]);
    expect(nodes.map((e) => e.querySelectorAll(".lgw-stream-msg").length)).toEqual([1, 1, 1]);
    expect(mustQuery(nodes[1]!, '.lgw-stream-msg.lgw-whole .lgw-msg[data-lgw-msg-type="tool"] .lgw-tool-name').textContent).toBe(
      "find_sources",
    );
    expect(mustQuery(nodes[2]!, ".lgw-stream-text").textContent).toBe(REPORT);
    // No updates in this mode: the entries stay node entries (the badge is hidden by CSS once the run ends).
    expect(nodes.every((e) => e.dataset.lgwState === "running")).toBe(true);
    expect(el.querySelectorAll(".lgw-entry")).toHaveLength(4); // metadata + three nodes
  });
});

describe("tokens (messages: partial / metadata / complete)", () => {
  it("the accumulated snapshots grow one text in the node named by messages/metadata", () => {
    const events = parseSse(messagesSse);
    const { kernel, top } = live();
    const partials = events.filter((e) => e.mode === "messages/partial" && JSON.stringify(e.data).includes('"content":"Report'));
    const first = partials[0]!.seq;
    kernel.push(...events.slice(0, first + 1));
    const agent = top()[top().length - 1]!;
    expect(agent.dataset.lgwNode).toBe("agent");
    const text = mustQuery(agent, ".lgw-stream-text");
    const node = text.firstChild as Text;
    expect(node.data).toBe("Report ");
    kernel.push(events[first + 1]!, events[first + 2]!);
    expect(text.firstChild).toBe(node);
    expect(node.data).toBe("Report on tidal ");
    kernel.push(...events.slice(first + 3));
    expect(node.data).toBe(REPORT);
    expect(agent.querySelectorAll(".lgw-stream-msg")).toHaveLength(1);
  });

  it("messages/complete of a tool message shows it whole; no entry per event", () => {
    const { top, events } = finished(messagesSse);
    expect(events.length).toBeGreaterThan(15);
    expect(top().map((e) => e.dataset.lgwNode)).toEqual([undefined, "agent", "tools", "agent"]);
    const tools = top()[2]!;
    expect(mustQuery(tools, ".lgw-tool-result-json").textContent).toContain("encyclopedia");
    const call = mustQuery(top()[1]!, ".lgw-tool-call");
    expect(mustQuery(call, ".lgw-tool-name").textContent).toBe("find_sources");
    expect(mustQuery(call, ".lgw-tool-args-text").textContent).toBe('{"topic":"tidal power"}');
  });
});

describe("subgraphs", () => {
  it("nest two levels deep inside the entries of the nodes that ran them", () => {
    const events = parseSse(nestedSse);
    const { kernel, top, el } = live();
    // The parent's container exists from the first namespaced event on.
    const firstNs = events.findIndex((e) => e.ns.length > 0);
    kernel.push(...events.slice(0, firstNs + 1));
    const team = mustQuery(el, '.lgw-entries > .lgw-node-entry[data-lgw-node="team"]');
    expect(team.dataset.lgwEvent).toBe("node");
    expect(team.dataset.lgwState).toBe("running");
    expect(mustQuery(team, ".lgw-children > .lgw-entry").dataset.lgwSeq).toBe(String(firstNs));

    kernel.push(...events.slice(firstNs + 1));
    expect(top().filter((e) => e.dataset.lgwNode === "team" && e.classList.contains("lgw-node-entry"))).toEqual([team]);
    const teamUpdate = events.find((e) => e.mode === "updates" && e.ns.length === 0)!;
    expect(team.dataset.lgwEvent).toBe("updates");
    expect(team.dataset.lgwSeq).toBe(String(teamUpdate.seq));

    const teamNs = mustQuery(team, ":scope > .lgw-entry-body > .lgw-subgraph").dataset.lgwNs!;
    expect(teamNs).toMatch(/^team:[0-9a-f-]{36}$/);
    const level1 = [...team.querySelectorAll<HTMLElement>(":scope > .lgw-entry-body > .lgw-subgraph > .lgw-children > .lgw-entry")];
    for (const e of level1) expect(e.dataset.lgwNs).toBe(teamNs);
    const research = level1.find((e) => e.dataset.lgwNode === "research" && e.dataset.lgwEvent === "updates")!;
    expect(research).toBeDefined();
    const researchNs = mustQuery(research, ".lgw-subgraph").dataset.lgwNs!;
    expect(researchNs).toMatch(new RegExp(`^${teamNs}\\|research:[0-9a-f-]{36}$`));
    expect(mustQuery(research, ".lgw-subgraph-head .lgw-ns-path").textContent).toBe("team › research");
    const level2 = [...research.querySelectorAll<HTMLElement>(".lgw-children > .lgw-entry")];
    expect(level2.length).toBeGreaterThan(0);
    for (const e of level2) {
      expect(e.dataset.lgwNs).toBe(researchNs);
      expect(mustQuery(e, ".lgw-ns").textContent).toBe("team › research ›");
    }
    // The innermost nodes' updates and tokens.
    const read = level2.find((e) => e.dataset.lgwEvent === "updates" && e.dataset.lgwNode === "read")!;
    expect(read.textContent).toContain("journal: 5 passages");
    const summarize = level2.find((e) => e.dataset.lgwEvent === "updates" && e.dataset.lgwNode === "summarize")!;
    expect(mustQuery(summarize, ".lgw-stream-text").textContent).toBe("3 sources agree (9 passages).");
    // Custom events inside are labelled by the running task (tasks mode is on).
    const customs = level2.filter((e) => e.dataset.lgwEvent === "custom");
    expect(customs.map((e) => e.dataset.lgwNode)).toEqual(["read", "read", "read", "summarize"]);
    // The DOM hook: nested entries inside the parent's entry.
    expect(el.querySelectorAll('.lgw-entry[data-lgw-node="team"] .lgw-entry[data-lgw-node="research"] .lgw-entry[data-lgw-node="summarize"]').length).toBeGreaterThan(0);
    // The report streamed inside team › agent, shown once.
    const agents = level1.filter((e) => e.dataset.lgwNode === "agent" && e.dataset.lgwEvent === "updates");
    expect(agents).toHaveLength(2);
    expect(agents[1]!.querySelectorAll(".lgw-msg-text")).toHaveLength(1);
    expect(mustQuery(agents[1]!, ".lgw-msg-text").textContent).toBe(REPORT);
  });

  it("un-namespaced messages/partial of a subgraph go inside it (by their checkpoint namespace)", () => {
    const { el, top } = finished(subgraphsModesSse);
    const research = mustQuery(el, '.lgw-entries > .lgw-node-entry[data-lgw-node="research"]');
    const summarize = mustQuery(research, '.lgw-children > .lgw-entry[data-lgw-node="summarize"][data-lgw-event="updates"]');
    expect(mustQuery(summarize, ".lgw-stream-text").textContent).toBe("3 sources agree (9 passages).");
    // Settled by the update: not streaming any more.
    expect(mustQuery(summarize, ".lgw-stream-msg").dataset.lgwState).toBe("done");
    // The subgraph's values and tasks are inside too.
    expect(research.querySelectorAll('.lgw-children > .lgw-entry[data-lgw-event="values"]')).toHaveLength(2);
    expect(research.querySelectorAll('.lgw-children > .lgw-entry[data-lgw-event="tasks"]')).toHaveLength(2);
    // Nothing namespaced at the top level.
    expect(top().filter((e) => e.dataset.lgwNs)).toEqual([]);
  });
});

describe("values", () => {
  it("each step shows what changed; the state panel shows the current state", () => {
    const events = parseSse(valuesSse);
    const { kernel, el, top } = live();
    const panel = mustQuery(el, ".lgw-state");
    expect(panel.hidden).toBe(true);
    kernel.push(...events);
    const values = top().filter((e) => e.dataset.lgwEvent === "values");
    expect(values).toHaveLength(5);
    expect(values.map((e) => mustQuery(e, ".lgw-diff-summary").textContent)).toEqual([
      "initial state · 1 key",
      "+1 message · +1 key",
      "+1 message",
      "+2 keys",
      "+1 message",
    ]);
    // Appended messages as messages; new keys with their value.
    const step2 = values[1]!;
    expect(mustQuery(step2, '.lgw-diff-row[data-lgw-diff="appended"][data-lgw-key="messages"] .lgw-tool-call .lgw-tool-name').textContent).toBe(
      "find_sources",
    );
    expect(mustQuery(step2, '.lgw-diff-row[data-lgw-diff="added"][data-lgw-key="topic"]').textContent).toContain("tidal power");
    // Only the new message, not the whole list again.
    expect(step2.querySelectorAll(".lgw-msg")).toHaveLength(1);
    expect(mustQuery(values[4]!, ".lgw-msg-text").textContent).toBe(REPORT);

    // The panel: current state, built when opened, kept current while open.
    expect(panel.hidden).toBe(false);
    expect(mustQuery(panel, ".lgw-state-summary").textContent).toContain("4 keys");
    const content = mustQuery(panel, ".lgw-state-content");
    expect(content.childElementCount).toBe(0);
    click(mustQuery(panel, ".lgw-state-toggle"));
    const keys = [...content.querySelectorAll<HTMLElement>(".lgw-state-key")].map((k) => k.dataset.lgwKey);
    expect(keys).toEqual(["messages", "topic", "notes", "summary"]);
    expect(content.querySelectorAll(".lgw-msg")).toHaveLength(4);
    kernel.push(rec(events.length, "values", { messages: [], topic: "new" }));
    expect([...content.querySelectorAll<HTMLElement>(".lgw-state-key")].map((k) => k.dataset.lgwKey)).toEqual(["messages", "topic"]);
    const last = top()[top().length - 1]!;
    expect(mustQuery(last, ".lgw-diff-summary").textContent).toBe("~2 changed · −2 removed");
    expect([...last.querySelectorAll<HTMLElement>('.lgw-diff-row[data-lgw-diff="removed"]')].map((r) => r.dataset.lgwKey)).toEqual([
      "notes",
      "summary",
    ]);
  });
});

describe("custom", () => {
  it("is labelled with the emitting node when a task says, else just custom", () => {
    const plain = finished(customSse);
    const customs = plain.top().filter((e) => e.dataset.lgwEvent === "custom");
    expect(customs).toHaveLength(2);
    for (const c of customs) {
      expect(c.dataset.lgwNode).toBeUndefined();
      expect(mustQuery(c, ".lgw-event-name").textContent).toBe("custom");
    }
    expect(customs[0]!.textContent).toContain("planning the research");
    plain.el.remove();

    const { top } = finished(subgraphsModesSse);
    const parent = top().filter((e) => e.dataset.lgwEvent === "custom");
    expect(parent.map((e) => e.dataset.lgwNode)).toEqual(["agent", "agent"]);
    expect(mustQuery(parent[0]!, ".lgw-node-name").textContent).toBe("agent");
  });

  it("shows a string payload as text and anything else as JSON", () => {
    const { kernel, top } = live();
    kernel.push(rec(0, "custom", "50% done"), rec(1, "custom", [1, 2]));
    expect(mustQuery(top()[0]!, ".lgw-custom-text").textContent).toBe("50% done");
    expect(top()[1]!.querySelector(".lgw-json")).not.toBeNull();
  });

  it("takes the node streaming tokens as the emitter when no task is known", () => {
    const { kernel, top } = live();
    kernel.push(
      rec(0, "messages", [{ type: "AIMessageChunk", id: "m", content: "Hel" }, { langgraph_node: "writer" }]),
      rec(1, "custom", { progress: 0.5 }),
    );
    expect(top()[1]!.dataset.lgwNode).toBe("writer");
  });
});

describe("tasks, checkpoints and debug", () => {
  it("tasks: one compact row per task, start to finish, with the duration", () => {
    const events = parseSse(tasksSse);
    const { kernel, top } = live();
    kernel.push(events[0]!, events[1]!);
    const row = top()[1]!;
    expect(row.dataset.lgwEvent).toBe("tasks");
    expect(row.dataset.lgwNode).toBe("agent");
    expect(row.dataset.lgwTaskState).toBe("running");
    expect(mustQuery(row, ".lgw-task-status").textContent).toBe("running…");
    expect(mustQuery(row, ".lgw-task-duration").hidden).toBe(true);
    kernel.push(...events.slice(2));
    const rows = top().filter((e) => e.dataset.lgwEvent === "tasks");
    expect(rows).toHaveLength(4);
    expect(rows[0]).toBe(row);
    expect(rows.map((r) => r.dataset.lgwNode)).toEqual(["agent", "tools", "research", "agent"]);
    expect(rows.map((r) => r.dataset.lgwTaskState)).toEqual(["done", "done", "done", "done"]);
    // parseSse spaces events 10 ms apart: start and result are adjacent here.
    expect(rows.map((r) => mustQuery(r, ".lgw-task-duration").textContent)).toEqual(["10 ms", "10 ms", "10 ms", "10 ms"]);
    expect(row.dataset.lgwSeqEnd).toBe("2");
    // Compact: details built on expand.
    const body = mustQuery(row, ".lgw-entry-body");
    expect(body.hidden).toBe(true);
    expect(body.querySelector(".lgw-json")).toBeNull();
    click(mustQuery(row, ".lgw-expand"));
    expect(body.hidden).toBe(false);
    expect([...body.querySelectorAll(".lgw-task-section > .lgw-label")].map((l) => l.textContent)).toEqual(["input", "result"]);
  });

  it("tasks: the failing task shows its error", () => {
    const { top } = finished(tasksErrorSse);
    const explode = top().find((e) => e.dataset.lgwEvent === "tasks" && e.dataset.lgwNode === "explode")!;
    expect(explode.dataset.lgwTaskState).toBe("error");
    expect(mustQuery(explode, ".lgw-task-error").textContent).toBe("ValueError: the demo graph failed on purpose");
    expect(mustQuery(explode, ".lgw-task-error").hidden).toBe(false);
    // The debug rows of the same run.
    const debugExplode = top().find((e) => e.dataset.lgwEvent === "debug" && e.dataset.lgwNode === "explode")!;
    expect(debugExplode.dataset.lgwTaskState).toBe("error");
  });

  it("checkpoints: step markers with the checkpoint id that expand", () => {
    const { top, events } = finished(checkpointsSse);
    const rows = top().filter((e) => e.dataset.lgwEvent === "checkpoints");
    expect(rows).toHaveLength(6);
    expect(rows.map((r) => mustQuery(r, ".lgw-step-mark").textContent)).toEqual(["step -1", "step 0", "step 1", "step 2", "step 3", "step 4"]);
    const firstId = ((events[1]!.data as { config: { configurable: { checkpoint_id: string } } }).config.configurable.checkpoint_id);
    expect(rows[0]!.dataset.lgwCheckpoint).toBe(firstId);
    expect(mustQuery(rows[0]!, ".lgw-checkpoint-id .lgw-id").textContent).toBe(firstId);
    expect(mustQuery(rows[2]!, ".lgw-checkpoint-next").textContent).toBe("next tools");
    expect(mustQuery(rows[5]!, ".lgw-checkpoint-next").textContent).toBe("end");
    const body = mustQuery(rows[3]!, ".lgw-entry-body");
    expect(body.hidden).toBe(true);
    expect(body.childElementCount).toBe(0);
    click(mustQuery(rows[3]!, ".lgw-expand"));
    expect(body.textContent).toContain("messages");
  });

  it("debug: checkpoints as step markers, tasks with durations from the server's timestamps", () => {
    const { top, events } = finished(debugSse);
    const debug = top().filter((e) => e.dataset.lgwEvent === "debug");
    expect(debug.filter((e) => e.classList.contains("lgw-checkpoint"))).toHaveLength(6);
    const tasks = debug.filter((e) => e.classList.contains("lgw-task"));
    expect(tasks.map((t) => t.dataset.lgwNode)).toEqual(["agent", "tools", "research", "agent"]);
    expect(tasks.map((t) => mustQuery(t, ".lgw-step").textContent)).toEqual(["step 1", "step 2", "step 3", "step 4"]);
    const first = events.filter((e) => e.mode === "debug" && (e.data as { type: string }).type !== "checkpoint").slice(0, 2);
    const stamp = (e: EventRecord) => (e.data as { timestamp: string }).timestamp;
    const ms = parseTimestamp(stamp(first[1]!)) - parseTimestamp(stamp(first[0]!));
    expect(ms).toBeGreaterThan(0);
    expect(mustQuery(tasks[0]!, ".lgw-task-duration").textContent).toBe(formatDuration(ms / 1000));
    expect(formatDuration(ms / 1000)).toMatch(/^\d+(\.\d)? ms$/);
  });
});

describe("events", () => {
  it("are grouped, collapsed, and their rows built only when opened", () => {
    const { el, list, events } = finished(eventsSse);
    const n = events.filter((e) => e.mode === "events").length;
    expect(n).toBeGreaterThan(40);
    const groups = list.querySelectorAll<HTMLElement>(".lgw-events-group");
    expect(groups).toHaveLength(1);
    const group = groups[0]!;
    expect(group.dataset.lgwCount).toBe(String(n));
    expect(mustQuery(group, ".lgw-group-toggle").getAttribute("aria-expanded")).toBe("false");
    expect(el.querySelectorAll('.lgw-entry[data-lgw-event="events"]')).toHaveLength(0);
    click(mustQuery(group, ".lgw-group-toggle"));
    const rows = group.querySelectorAll<HTMLElement>('.lgw-entry[data-lgw-event="events"]');
    expect(rows).toHaveLength(n);
    expect(mustQuery(rows[0]!, ".lgw-event-kind").textContent).toBe("on_chain_start");
    // A streamed token shows its text in the row.
    const details = [...group.querySelectorAll(".lgw-event-detail")].map((d) => d.textContent);
    expect(details.slice(0, 5)).toEqual(['"3 "', '"sources "', '"agree "', '"(9 "', '"passages)."']);
    // Each row is one line until it is expanded.
    const body = mustQuery(rows[1]!, ".lgw-entry-body");
    expect(body.hidden).toBe(true);
    expect(body.childElementCount).toBe(0);
    click(mustQuery(rows[1]!, ".lgw-expand"));
    expect(body.querySelector(".lgw-json")).not.toBeNull();
  });

  it("a live group counts up; an open group appends; another entry starts a new group", () => {
    const { kernel, list } = live();
    const ev = (seq: number, kind: string) => rec(seq, "events", { event: kind, name: "x", metadata: { langgraph_node: "n" } });
    kernel.push(ev(0, "on_chain_start"), ev(1, "on_chain_stream"));
    const group = mustQuery(list, ".lgw-events-group");
    expect(group.dataset.lgwCount).toBe("2");
    expect(mustQuery(group, ".lgw-group-last").textContent).toBe(" · on_chain_stream x");
    click(mustQuery(group, ".lgw-group-toggle"));
    kernel.push(ev(2, "on_chain_end"));
    expect(group.querySelectorAll(".lgw-event-row")).toHaveLength(3);
    kernel.push(rec(3, "custom", 1), ev(4, "on_chain_start"));
    expect(list.querySelectorAll(".lgw-events-group")).toHaveLength(2);
  });

  it("pages a large open group", () => {
    const { kernel, list } = live();
    kernel.push(...Array.from({ length: 450 }, (_, i) => rec(i, "events", { event: "on_chain_stream", name: "x" })));
    const group = mustQuery(list, ".lgw-events-group");
    click(mustQuery(group, ".lgw-group-toggle"));
    expect(group.querySelectorAll(".lgw-event-row")).toHaveLength(200);
    click(mustQuery(group, ".lgw-group-more"));
    expect(group.querySelectorAll(".lgw-event-row")).toHaveLength(400);
    click(mustQuery(group, ".lgw-group-more"));
    expect(group.querySelectorAll(".lgw-event-row")).toHaveLength(450);
    expect(group.querySelector(".lgw-group-more")).toBeNull();
  });
});

describe("unknown, raw and note records", () => {
  it("unknown event names get a generic entry, never dropped", () => {
    const { kernel, top } = live();
    kernel.push(rec(0, "lifecycle", { status: "running" }), rec(1, "something|sub:1", [1]), rec(2, "messages/weird", { x: 1 }));
    expect(top()[0]!.dataset.lgwEvent).toBe("lifecycle");
    expect(mustQuery(top()[0]!, ".lgw-event-name").textContent).toBe("lifecycle");
    // Namespaced unknowns nest like everything else.
    expect(mustQuery(top()[1]!, '.lgw-children > .lgw-entry[data-lgw-event="something"]').dataset.lgwNs).toBe("sub:1");
    expect(top()[2]!.dataset.lgwEvent).toBe("messages/weird");
  });

  it("raw records show their text, clipped", () => {
    const { kernel, top } = live();
    kernel.push(rec(0, "messages", "not json {", { raw: true }), rec(1, "mystery", "<b>raw</b>", { raw: true }));
    expect(top()[0]!.classList.contains("lgw-raw")).toBe(true);
    expect(mustQuery(top()[0]!, ".lgw-raw-text").textContent).toBe("not json {");
    expect(mustQuery(top()[1]!, ".lgw-raw-text").textContent).toBe("<b>raw</b>");
    expect(top()[1]!.querySelector("b")).toBeNull();
  });

  it("a 20 MB raw data string is clipped before it reaches the DOM", () => {
    const big = "x".repeat(20 * 1024 * 1024);
    const { kernel, top } = live();
    const t0 = performance.now();
    kernel.push(rec(0, "custom", big, { raw: true }), rec(1, "custom", { blob: big }));
    const ms = performance.now() - t0;
    expect(ms).toBeLessThan(1000);
    const raw = top()[0]!;
    expect(raw.textContent!.length).toBeLessThan(1000);
    const more = mustQuery(raw, "button.lgw-more");
    expect(more.textContent).toBe("show more (20,971,520 chars)");
    click(more);
    // One step at a time, never the whole string at once.
    expect(mustQuery(raw, ".lgw-text-body").textContent!.length).toBe(100_400 + 1);
    expect(more.textContent).toBe("show more (100,400 of 20,971,520 chars shown)");
    click(mustQuery(raw, "button.lgw-less"));
    expect(mustQuery(raw, ".lgw-text-body").textContent!.length).toBe(401);
    expect(top()[1]!.textContent!.length).toBeLessThan(1000);
  });

  it("note records are small note rows", () => {
    const { kernel, top } = live();
    kernel.push(rec(0, "note", "invalid UTF-8 replaced"), rec(1, "note", { message: "reconnected, 3 events replayed", replayed: 3 }));
    expect(top().map((e) => e.dataset.lgwEvent)).toEqual(["note", "note"]);
    expect(top()[0]!.classList.contains("lgw-note")).toBe(true);
    expect(mustQuery(top()[0]!, ".lgw-note-text").textContent).toBe("invalid UTF-8 replaced");
    expect(mustQuery(top()[1]!, ".lgw-note-text").textContent).toBe("reconnected, 3 events replayed");
    expect(mustQuery(top()[1]!, ".lgw-entry-body").textContent).toContain("replayed");
  });
});

describe("late message events", () => {
  it("a message completed after its node's update is not shown twice", () => {
    const { kernel, top } = live();
    const meta = { langgraph_node: "agent", langgraph_checkpoint_ns: "agent:t1" };
    kernel.push(
      rec(0, "messages/metadata", { m1: { metadata: meta } }),
      rec(1, "messages/partial", [{ type: "ai", id: "m1", content: "Hi" }]),
      rec(2, "updates", { agent: { messages: [{ type: "ai", id: "m1", content: "Hi there" }] } }),
      rec(3, "messages/complete", [{ type: "ai", id: "m1", content: "Hi there" }]),
    );
    expect(top()).toHaveLength(1);
    expect([...top()[0]!.querySelectorAll(".lgw-msg-text")].map((t) => t.textContent)).toEqual(["Hi there"]);
  });
});

describe("long streams", () => {
  it("many tokens of one message stay cheap; the shown text is capped", () => {
    const { kernel, top } = live();
    const meta = { langgraph_node: "writer", langgraph_checkpoint_ns: "writer:t" };
    const token = "y".repeat(99) + " ";
    const n = 5000;
    const t0 = performance.now();
    for (let i = 0; i < n; i += 100) {
      kernel.push(...Array.from({ length: 100 }, (_, j) => rec(i + j, "messages", [{ type: "AIMessageChunk", id: "long", content: token }, meta])));
    }
    expect(performance.now() - t0).toBeLessThan(3000);
    expect(top()).toHaveLength(1);
    const text = mustQuery(top()[0]!, ".lgw-stream-text");
    expect((text.firstChild as Text).length).toBe(200_000);
    expect(mustQuery(text, ".lgw-stream-clip").textContent).toContain("500,000 chars");
    expect(mustQuery(top()[0]!, ".lgw-stream-msg").dataset.lgwChunks).toBe(String(n));
  });
});

describe("thread event stream messages (content blocks)", () => {
  it("stream into one entry per message, not one per delta", () => {
    const { kernel, top } = live();
    const msg = (seq: number, data: Record<string, unknown>) => rec(seq, "messages", data);
    kernel.push(
      rec(0, "lifecycle", { event: "running", graph_name: "agent" }),
      msg(1, { event: "message-start", role: "ai", id: "a" }),
      msg(2, { event: "content-block-start", index: 0, content: { type: "text", text: "" } }),
      msg(3, { event: "content-block-delta", index: 0, delta: { type: "text-delta", text: "The " } }),
    );
    const entry = top()[1]!;
    const text = mustQuery(entry, ".lgw-stream-text");
    expect(text.textContent).toBe("The ");
    kernel.push(
      msg(4, { event: "content-block-delta", index: 0, delta: { type: "text-delta", text: "weather." } }),
      msg(5, { event: "content-block-finish", index: 0, content: { type: "text", text: "The weather." } }),
      msg(6, { event: "message-finish" }),
      msg(7, { event: "message-start", role: "ai", id: "b" }),
      msg(8, { event: "content-block-delta", index: 0, delta: { type: "text-delta", text: "Again." } }),
      msg(9, { event: "message-finish" }),
    );
    expect(text.textContent).toBe("The weather.");
    expect(top().map((e) => e.dataset.lgwEvent)).toEqual(["lifecycle", "node", "node"]);
    expect(mustQuery(top()[2]!, ".lgw-stream-text").textContent).toBe("Again.");
  });
});
