// What the run's messages say across events (DOM-free): which event first
// holds each tool call (`tool_calls[i].id`) and each tool result
// (`tool_call_id`), so one can be shown from the other even when its row is
// not in the DOM; and the run's token usage from `usage_metadata`, counted
// once per message id however many `values` events repeat the message.

import type { EventRecord } from "../types";
import { isPlainObject as isObj } from "../json";

export interface Usage {
  input: number;
  output: number;
  total: number;
}

/** LangChain's `{"lc":1,"type":"constructor","id":[...,"AIMessage"],"kwargs":{...}}` form, unwrapped. */
export function unwrapMessage(v: unknown): Record<string, unknown> | null {
  if (!isObj(v)) return null;
  if (v.type === "constructor" && isObj(v.kwargs) && Array.isArray(v.id)) {
    const cls = v.id[v.id.length - 1];
    return { type: typeof cls === "string" ? cls : "other", ...v.kwargs };
  }
  return v;
}

function count(v: unknown): number {
  return typeof v === "number" && Number.isFinite(v) && v >= 0 ? v : 0;
}

/** A message's `usage_metadata` (total = input + output when it is not given), or null. */
export function usageOf(m: Record<string, unknown>): Usage | null {
  const u = m.usage_metadata;
  if (!isObj(u)) return null;
  const input = count(u.input_tokens);
  const output = count(u.output_tokens);
  const total = count(u.total_tokens) || input + output;
  return input || output || total ? { input, output, total } : null;
}

function list(v: unknown): unknown[] {
  return Array.isArray(v) ? v : v === undefined ? [] : [v];
}

/** The messages an event carries, and whether they are chunks (their usage adds up) or whole messages. */
function messagesOf(ev: EventRecord): { messages: unknown[]; chunks: boolean } {
  const data = ev.data;
  switch (ev.mode) {
    case "updates": {
      if (!isObj(data)) break;
      const out: unknown[] = [];
      for (const update of Object.values(data)) {
        for (const u of list(update)) if (isObj(u)) out.push(...list(u.messages));
      }
      return { messages: out, chunks: false };
    }
    case "values":
      return { messages: isObj(data) ? list(data.messages) : [], chunks: false };
    case "messages":
      // messages-tuple: [chunk, metadata]
      return { messages: Array.isArray(data) && data.length === 2 && isObj(data[1]) ? [data[0]] : [], chunks: true };
    case "messages/partial":
    case "messages/complete":
      return { messages: list(data), chunks: false };
  }
  return { messages: [], chunks: false };
}

export class MessageIndex {
  private readonly calls = new Map<string, number>();
  private readonly results = new Map<string, number>();
  /** Message id -> usage of the whole message; of its chunks so far while only chunks came. */
  private readonly usages = new Map<string, { usage: Usage; whole: boolean }>();
  private totalCache: Usage | null = null;
  private dirty = false;

  /** Bumped whenever the usage total changes. */
  version = 0;

  ingest(ev: EventRecord): void {
    if (ev.raw) return;
    const { messages, chunks } = messagesOf(ev);
    for (const item of messages) {
      const m = unwrapMessage(item);
      if (m) this.message(m, ev.seq, chunks);
    }
  }

  /** Seq of the first event holding tool call `id`. */
  callSeq(id: string): number | undefined {
    return this.calls.get(id);
  }

  /** Seq of the first event holding the result of tool call `id`. */
  resultSeq(id: string): number | undefined {
    return this.results.get(id);
  }

  /** Token usage summed over the run's messages (null: none reported). */
  usage(): Usage | null {
    if (this.dirty) {
      this.dirty = false;
      let input = 0;
      let output = 0;
      let total = 0;
      for (const { usage } of this.usages.values()) {
        input += usage.input;
        output += usage.output;
        total += usage.total;
      }
      this.totalCache = this.usages.size > 0 ? { input, output, total } : null;
    }
    return this.totalCache;
  }

  private message(m: Record<string, unknown>, seq: number, chunk: boolean): void {
    for (const key of ["tool_calls", "tool_call_chunks"]) {
      const calls = m[key];
      if (!Array.isArray(calls)) continue;
      for (const c of calls) if (isObj(c) && typeof c.id === "string" && c.id && !this.calls.has(c.id)) this.calls.set(c.id, seq);
    }
    const result = m.tool_call_id;
    if (typeof result === "string" && result && !this.results.has(result)) this.results.set(result, seq);

    const usage = usageOf(m);
    const id = typeof m.id === "string" ? m.id : "";
    if (!usage || !id) return;
    const prior = this.usages.get(id);
    if (chunk) {
      if (prior?.whole) return;
      const sum = prior ? { input: prior.usage.input + usage.input, output: prior.usage.output + usage.output, total: prior.usage.total + usage.total } : usage;
      this.usages.set(id, { usage: sum, whole: false });
    } else {
      if (prior?.whole && prior.usage.total === usage.total && prior.usage.input === usage.input) return;
      this.usages.set(id, { usage, whole: true });
    }
    this.dirty = true;
    this.version++;
  }
}
