// Token streams (DOM-free): merges the chunks of `messages` (messages-tuple)
// and the snapshots of `messages/partial` into one growing message per id,
// and records whole messages (`messages/complete`, tool results, non-LLM AI
// messages), each with the node, namespace and task that emitted it.

import { isPlainObject as isObj, stringify } from "../json";
import type { EventRecord } from "../types";
import { splitCheckpointNs } from "./ns";

export interface ToolCallState {
  /** Merge key: the chunk's index, else its id, else its position. */
  key: string;
  id: string;
  name: string;
  /** The arguments as text (JSON growing chunk by chunk). */
  args: string;
}

export interface StreamMessage {
  /** Message id (or a stand-in when the chunks carry none). */
  id: string;
  /** Message type as sent ("AIMessageChunk", "ai", "tool", …). */
  type: string;
  /** Text content so far. */
  text: string;
  toolCalls: ToolCallState[];
  /** langgraph_node of the emitting task; null when unknown. */
  node: string | null;
  /** Namespace of the emitting task (from the event, else its checkpoint ns). */
  ns: string[];
  /** Task id of the emitting task, when the metadata says. */
  task: string | null;
  /** Events merged into this message. */
  chunks: number;
  firstSeq: number;
  lastSeq: number;
  /** The last chunk arrived (chunk_position "last") or the message is complete. */
  done: boolean;
  /** The message arrived in one piece (not streamed): render `message` as is. */
  whole: boolean;
  /** The whole (or completed) message, as sent. */
  message: Record<string, unknown> | null;
}

/** How a message's text changed with one event. */
export type TextChange = { append: string } | { replace: true } | null;

export interface StreamUpdate {
  msg: StreamMessage;
  /** First event of this message. */
  created: boolean;
  text: TextChange;
  toolCallsChanged: boolean;
}

/** What ingesting one event did. */
export type IngestResult =
  | { kind: "messages"; updates: StreamUpdate[] }
  /** Consumed without anything to show (`messages/metadata`). */
  | { kind: "absorbed" }
  /** Not a shape this model understands: show the event as it is. */
  | { kind: "unknown" };

/** Text of a message content: a string, or the text blocks of a list. */
export function contentText(content: unknown): string {
  if (typeof content === "string") return content;
  if (!Array.isArray(content)) return "";
  let out = "";
  for (const block of content) {
    if (typeof block === "string") out += block;
    else if (isObj(block) && typeof block.text === "string" && (block.type === "text" || block.type === undefined)) out += block.text;
  }
  return out;
}

/** A chunk (to merge) rather than a whole message. */
export function isChunk(m: Record<string, unknown>): boolean {
  return (
    (typeof m.type === "string" && m.type.endsWith("Chunk")) ||
    "chunk_position" in m ||
    "tool_call_chunks" in m
  );
}

interface Origin {
  node: string | null;
  ns: string[];
  task: string | null;
}

function originOf(ev: EventRecord, meta: unknown): Origin {
  if (!isObj(meta)) return { node: null, ns: [...ev.ns], task: null };
  const cp = splitCheckpointNs(meta.langgraph_checkpoint_ns ?? meta.checkpoint_ns);
  const node = typeof meta.langgraph_node === "string" && meta.langgraph_node ? meta.langgraph_node : cp.node;
  return {
    node,
    ns: ev.ns.length > 0 ? [...ev.ns] : cp.ns,
    task: cp.node !== null && cp.node === node ? cp.task : null,
  };
}

/** `growth(old, next)`: append when `next` extends `old`, else replace. */
export function growth(old: string, next: string): TextChange {
  if (next === old) return null;
  if (next.startsWith(old)) return { append: next.slice(old.length) };
  return { replace: true };
}

export class MessageStreams {
  private readonly messages = new Map<string, StreamMessage>();
  /** Origins announced by `messages/metadata`, by message id. */
  private readonly origins = new Map<string, Origin>();
  private anon = 0;
  private readonly anonCurrent = new Map<string, string>();
  /** Thread event stream: the message being streamed per namespace, and its text blocks. */
  private readonly blockCurrent = new Map<string, string>();
  private readonly blockTexts = new Map<string, Map<string, string>>();

  get(id: string): StreamMessage | undefined {
    return this.messages.get(id);
  }

  get size(): number {
    return this.messages.size;
  }

  ingest(ev: EventRecord): IngestResult {
    if (ev.raw) return { kind: "unknown" };
    switch (ev.mode) {
      case "messages":
        if (isObj(ev.data) && typeof ev.data.event === "string") return this.blocks(ev, ev.data);
        return this.tuple(ev);
      case "messages/metadata":
        return this.metadata(ev);
      case "messages/partial":
        return this.snapshots(ev, false);
      case "messages/complete":
        return this.snapshots(ev, true);
      default:
        return { kind: "unknown" };
    }
  }

  /** messages-tuple: `[chunk or whole message, metadata]`. */
  private tuple(ev: EventRecord): IngestResult {
    const data = ev.data;
    if (!Array.isArray(data) || !isObj(data[0])) return { kind: "unknown" };
    const m = data[0];
    const origin = originOf(ev, data[1]);
    if (origin.node === null) return { kind: "unknown" };
    const id = typeof m.id === "string" && m.id ? m.id : this.anonId(origin);
    if (!isChunk(m)) return { kind: "messages", updates: [this.whole(ev, id, m, origin)] };

    let msg = this.messages.get(id);
    const created = msg === undefined;
    if (!msg || msg.done) {
      // A finished id streaming again starts afresh (a retried call).
      msg = this.fresh(ev, id, m, origin);
      this.messages.set(id, msg);
    }
    msg.chunks += 1;
    msg.lastSeq = ev.seq;
    const delta = contentText(m.content);
    const text: TextChange = delta ? { append: delta } : null;
    msg.text += delta;
    let toolCallsChanged = false;
    if (Array.isArray(m.tool_call_chunks)) {
      for (const c of m.tool_call_chunks) if (isObj(c) && this.mergeToolChunk(msg, c)) toolCallsChanged = true;
    }
    if (m.chunk_position === "last") msg.done = true;
    return { kind: "messages", updates: [{ msg, created: created || msg.chunks === 1, text, toolCallsChanged }] };
  }

  /**
   * The thread event stream's content-block events (protocol v2): `message-start`
   * (id, role), `content-block-start` / `-delta` / `-finish` (text and tool
   * call blocks by index), `message-finish`. One message at a time per namespace.
   */
  private blocks(ev: EventRecord, d: Record<string, unknown>): IngestResult {
    const nsId = ev.ns.join("|");
    const origin: Origin = { node: typeof d.node === "string" && d.node ? d.node : null, ns: [...ev.ns], task: null };
    const kind = d.event as string;
    let id = this.blockCurrent.get(nsId);
    let msg = id !== undefined ? this.messages.get(id) : undefined;
    let created = false;
    if (kind === "message-start" || !msg || msg.done) {
      if (kind === "message-finish" && !msg) return { kind: "absorbed" };
      id = typeof d.id === "string" && d.id && kind === "message-start" ? d.id : this.anonId(origin);
      msg = this.fresh(ev, id, { type: typeof d.role === "string" ? d.role : "ai" }, origin);
      this.messages.set(id, msg);
      this.blockCurrent.set(nsId, id);
      this.blockTexts.set(id, new Map());
      created = true;
    }
    msg.chunks += 1;
    msg.lastSeq = ev.seq;
    if (kind === "message-start") return { kind: "messages", updates: [{ msg, created, text: null, toolCallsChanged: false }] };
    if (kind === "message-finish") {
      msg.done = true;
      return { kind: "messages", updates: [{ msg, created, text: null, toolCallsChanged: false }] };
    }
    const index = typeof d.index === "number" || typeof d.index === "string" ? String(d.index) : "0";
    const block = isObj(d.content) ? d.content : isObj(d.delta) ? d.delta : {};
    const texts = this.blockTexts.get(msg.id) ?? new Map<string, string>();
    this.blockTexts.set(msg.id, texts);
    let toolCallsChanged = false;
    const type = typeof block.type === "string" ? block.type : "";
    if (type.startsWith("tool")) {
      const chunk: Record<string, unknown> = { index: `b${index}` };
      if (typeof block.name === "string") chunk.name = block.name;
      if (typeof block.id === "string") chunk.id = block.id;
      const call = msg.toolCalls.find((c) => c.key === `ib${index}`);
      if (kind === "content-block-finish" && block.args !== undefined) {
        // The finished call carries the parsed arguments: they replace the text.
        if (call) call.args = "";
        chunk.args = typeof block.args === "string" ? block.args : stringify(block.args);
      } else if (typeof block.args === "string") {
        chunk.args = block.args;
      }
      toolCallsChanged = this.mergeToolChunk(msg, chunk);
      return { kind: "messages", updates: [{ msg, created, text: null, toolCallsChanged }] };
    }
    const piece = typeof block.text === "string" ? block.text : "";
    const before = texts.get(index) ?? "";
    texts.set(index, kind === "content-block-delta" ? before + piece : kind === "content-block-finish" ? piece || before : before + piece);
    let next = "";
    for (const t of texts.values()) next += t;
    const text = growth(msg.text, next);
    msg.text = next;
    return { kind: "messages", updates: [{ msg, created, text, toolCallsChanged }] };
  }

  /** `{"<msg id>": {"metadata": {...}}}`: remember where each message comes from. */
  private metadata(ev: EventRecord): IngestResult {
    if (!isObj(ev.data)) return { kind: "unknown" };
    for (const [id, value] of Object.entries(ev.data)) {
      const meta = isObj(value) && "metadata" in value ? value.metadata : value;
      this.origins.set(id, originOf(ev, meta));
    }
    return { kind: "absorbed" };
  }

  /** `messages/partial` (the message so far) and `messages/complete` (the final message). */
  private snapshots(ev: EventRecord, complete: boolean): IngestResult {
    const items = Array.isArray(ev.data) ? ev.data : [ev.data];
    const updates: StreamUpdate[] = [];
    for (const item of items) {
      if (!isObj(item)) return { kind: "unknown" };
      const id = typeof item.id === "string" && item.id ? item.id : null;
      const origin = (id !== null ? this.origins.get(id) : undefined) ?? { node: null, ns: [...ev.ns], task: null };
      const key = id ?? this.anonId(origin);
      const prior = this.messages.get(key);
      if (complete && (prior === undefined || prior.whole)) {
        updates.push(this.whole(ev, key, item, origin));
        continue;
      }
      let msg = prior;
      const created = msg === undefined;
      if (!msg) {
        msg = this.fresh(ev, key, item, origin);
        this.messages.set(key, msg);
      }
      msg.chunks += 1;
      msg.lastSeq = ev.seq;
      if (typeof item.type === "string") msg.type = item.type;
      const nextText = contentText(item.content);
      const text = growth(msg.text, nextText);
      msg.text = nextText;
      const toolCallsChanged = this.setToolCalls(msg, item);
      if (complete) {
        msg.done = true;
        msg.message = item;
      }
      updates.push({ msg, created, text, toolCallsChanged });
    }
    return updates.length > 0 ? { kind: "messages", updates } : { kind: "unknown" };
  }

  private whole(ev: EventRecord, id: string, m: Record<string, unknown>, origin: Origin): StreamUpdate {
    const prior = this.messages.get(id);
    const msg: StreamMessage = {
      ...this.fresh(ev, id, m, origin),
      chunks: 1,
      done: true,
      whole: true,
      message: m,
      text: contentText(m.content),
    };
    if (prior) {
      msg.firstSeq = prior.firstSeq;
      msg.chunks = prior.chunks + 1;
    }
    this.messages.set(id, msg);
    return { msg, created: prior === undefined, text: { replace: true }, toolCallsChanged: true };
  }

  private fresh(ev: EventRecord, id: string, m: Record<string, unknown>, origin: Origin): StreamMessage {
    return {
      id,
      type: typeof m.type === "string" ? m.type : "ai",
      text: "",
      toolCalls: [],
      node: origin.node,
      ns: origin.ns,
      task: origin.task,
      chunks: 0,
      firstSeq: ev.seq,
      lastSeq: ev.seq,
      done: false,
      whole: false,
      message: null,
    };
  }

  private anonId(origin: Origin): string {
    // Chunks without an id: one message per emitting task until it finishes.
    const base = `\u0000anon|${origin.ns.join("|")}|${origin.node ?? ""}|${origin.task ?? ""}`;
    const current = this.anonCurrent.get(base);
    if (current !== undefined && !this.messages.get(current)?.done) return current;
    const key = current === undefined ? base : `${base}|${++this.anon}`;
    this.anonCurrent.set(base, key);
    return key;
  }

  private mergeToolChunk(msg: StreamMessage, c: Record<string, unknown>): boolean {
    const key =
      typeof c.index === "number" || typeof c.index === "string"
        ? `i${c.index}`
        : typeof c.id === "string" && c.id
          ? `id${c.id}`
          : `n${msg.toolCalls.length}`;
    let call = msg.toolCalls.find((t) => t.key === key);
    if (!call) {
      call = { key, id: "", name: "", args: "" };
      msg.toolCalls.push(call);
    }
    let changed = false;
    if (typeof c.name === "string" && c.name && call.name !== c.name) {
      call.name = c.name;
      changed = true;
    }
    if (typeof c.id === "string" && c.id && call.id !== c.id) {
      call.id = c.id;
      changed = true;
    }
    if (typeof c.args === "string" && c.args) {
      call.args += c.args;
      changed = true;
    } else if (isObj(c.args)) {
      call.args = stringify(c.args);
      changed = true;
    }
    return changed;
  }

  /** Snapshot tool calls (`tool_calls` with parsed args). */
  private setToolCalls(msg: StreamMessage, m: Record<string, unknown>): boolean {
    if (!Array.isArray(m.tool_calls)) return false;
    let changed = false;
    m.tool_calls.forEach((c, i) => {
      if (!isObj(c)) return;
      const key = `s${i}`;
      let call = msg.toolCalls.find((t) => t.key === key);
      if (!call) {
        call = { key, id: "", name: "", args: "" };
        msg.toolCalls.push(call);
        changed = true;
      }
      const name = typeof c.name === "string" ? c.name : "";
      const id = typeof c.id === "string" ? c.id : "";
      const args = typeof c.args === "string" ? c.args : c.args === undefined ? "" : stringify(c.args);
      if (call.name !== name || call.id !== id || call.args !== args) {
        call.name = name;
        call.id = id;
        call.args = args;
        changed = true;
      }
    });
    return changed;
  }
}

/** Whether a final message `id` (from a node's update) is the streamed message `streamId`. */
export function sameMessageId(streamId: string, id: unknown): boolean {
  if (typeof id !== "string" || id === "") return false;
  if (id === streamId) return true;
  // A model called without streaming numbers its generations: "<run id>-0".
  return id.startsWith(streamId + "-") && /^\d+$/.test(id.slice(streamId.length + 1));
}
