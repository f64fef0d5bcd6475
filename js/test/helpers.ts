// Test helpers: a fake anywidget model, a fake kernel that answers hello, an
// event-record builder and a small SSE parser for the captured fixtures.

import { afterEach } from "vitest";
import widget from "../src/index";
import type { EventHeader, EventRecord, Model } from "../src/types";

type Handler = (...args: any[]) => void;

export class FakeModel implements Model {
  readonly traits: Record<string, unknown>;
  readonly sent: unknown[] = [];
  private readonly handlers = new Map<string, Set<Handler>>();
  /** Called for every view -> kernel message. */
  onSend: ((msg: unknown) => void) | null = null;

  constructor(traits: Record<string, unknown> = {}) {
    this.traits = {
      status: "connecting",
      assistant_id: "",
      run_id: "",
      thread_id: "",
      url: "",
      count: 0,
      error: "",
      started: 0,
      elapsed: 0,
      _snapshot: [],
      ...traits,
    };
  }

  get(key: string): unknown {
    return this.traits[key];
  }

  /** Set traits and fire change:<key> for each, like a kernel sync. */
  set(changes: Record<string, unknown>): void {
    Object.assign(this.traits, changes);
    for (const key of Object.keys(changes)) this.emit(`change:${key}`);
  }

  on(name: string, cb: Handler): void {
    let set = this.handlers.get(name);
    if (!set) this.handlers.set(name, (set = new Set()));
    set.add(cb);
  }

  off(name?: string | null, cb?: Handler | null): void {
    if (!name) {
      this.handlers.clear();
      return;
    }
    if (!cb) {
      this.handlers.delete(name);
      return;
    }
    this.handlers.get(name)?.delete(cb);
  }

  send(msg: unknown): void {
    this.sent.push(msg);
    this.onSend?.(msg);
  }

  emit(name: string, ...args: unknown[]): void {
    for (const cb of [...(this.handlers.get(name) ?? [])]) cb(...args);
  }

  /** Kernel -> views custom message (every view of the model receives it). */
  custom(msg: unknown, buffers: unknown[] = []): void {
    this.emit("msg:custom", msg, buffers);
  }

  listenerCount(name?: string): number {
    if (name) return this.handlers.get(name)?.size ?? 0;
    let n = 0;
    for (const set of this.handlers.values()) n += set.size;
    return n;
  }

  sentOfType(type: string): Array<Record<string, unknown>> {
    return this.sent.filter(
      (m): m is Record<string, unknown> => typeof m === "object" && m !== null && (m as { type?: unknown }).type === type,
    );
  }
}

const encoder = new TextEncoder();

/** The data text the kernel would send for a record. */
export function dataText(r: EventRecord): string {
  if (r.raw) return String(r.data);
  return r.data === null || r.data === undefined ? "" : JSON.stringify(r.data);
}

/**
 * Transport v2: records as `[event, id, t, nbytes]` headers and one buffer of
 * their data texts (UTF-8, back to back). `texts` overrides the data texts.
 */
export function wire(records: readonly EventRecord[], texts?: readonly string[]): { events: EventHeader[]; bytes: Uint8Array } {
  const parts = records.map((r, i) => encoder.encode(texts?.[i] ?? dataText(r)));
  const bytes = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let offset = 0;
  for (const p of parts) {
    bytes.set(p, offset);
    offset += p.length;
  }
  return { events: records.map((r, i) => [r.event, r.id, r.t, parts[i]!.length]), bytes };
}

/** How a buffer reaches the view: anywidget hands over DataViews (or ArrayBuffers). */
export type BufferKind = "dataview" | "arraybuffer";

/** `bytes` as the front end receives it; the DataView sits inside a larger buffer to catch offset mistakes. */
export function asBuffer(bytes: Uint8Array, kind: BufferKind): DataView | ArrayBuffer {
  if (kind === "arraybuffer") return bytes.slice().buffer;
  const padded = new Uint8Array(bytes.length + 16);
  padded.fill(0x7b);
  padded.set(bytes, 7);
  return new DataView(padded.buffer, 7, bytes.length);
}

/** A v2 append message and its buffers. */
export function appendMessage(from: number, records: readonly EventRecord[], kind: BufferKind = "dataview", texts?: readonly string[]) {
  const { events, bytes } = wire(records, texts);
  return { msg: { type: "append", from, events }, buffers: [asBuffer(bytes, kind)] };
}

/** The v2 `_snapshot` trait for records. */
export function snapshotTrait(records: readonly EventRecord[], omitted = 0, kind: BufferKind = "dataview") {
  const { events, bytes } = wire(records);
  return { events, data: asBuffer(bytes, kind), omitted };
}

/**
 * Answers hello with the events from `have` on, like RunTimeline does. Sends
 * the v2 wire format by default; `"records"` sends the older record objects.
 */
export class FakeKernel {
  readonly events: EventRecord[] = [];

  constructor(
    readonly model: FakeModel,
    readonly format: "v2" | "records" = "v2",
    readonly buffer: BufferKind = "dataview",
  ) {
    model.onSend = (msg) => {
      const m = msg as { type?: unknown; have?: unknown };
      if (m.type === "hello" && typeof m.have === "number") this.send(m.have, this.events.slice(m.have));
    };
  }

  /** Record new events and broadcast them. */
  push(...events: EventRecord[]): void {
    const from = this.events.length;
    this.events.push(...events);
    this.model.set({ count: this.events.length });
    this.send(from, events);
  }

  private send(from: number, events: EventRecord[]): void {
    if (this.format === "records") {
      this.model.custom({ type: "append", from, events });
      return;
    }
    const { msg, buffers } = appendMessage(from, events, this.buffer);
    this.model.custom(msg, buffers);
  }
}

/** Build an event record; `event` may carry a "|ns" suffix. */
export function rec(seq: number, event: string, data: unknown, extra: Partial<EventRecord> = {}): EventRecord {
  const [mode = event, ...ns] = event.split("|");
  return { seq, event, mode, ns, data, id: null, t: 0.1 * seq, ...extra };
}

/** Records from a list of [event, data] pairs, seq from 0. */
export function recs(pairs: Array<[string, unknown]>): EventRecord[] {
  return pairs.map(([event, data], i) => rec(i, event, data));
}

/** Parse SSE text into event records the way the kernel side does. */
export function parseSse(text: string): EventRecord[] {
  const out: EventRecord[] = [];
  for (const frame of text.replace(/\r\n/g, "\n").split("\n\n")) {
    let event = "message";
    const data: string[] = [];
    let id: string | null = null;
    for (const line of frame.split("\n")) {
      if (line.startsWith(":") || line === "") continue;
      const colon = line.indexOf(":");
      const field = colon < 0 ? line : line.slice(0, colon);
      const value = colon < 0 ? "" : line.slice(colon + 1).replace(/^ /, "");
      if (field === "event") event = value;
      else if (field === "data") data.push(value);
      else if (field === "id") id = value;
    }
    if (data.length === 0) continue;
    const text = data.join("\n");
    let parsed: unknown;
    let raw = false;
    try {
      parsed = JSON.parse(text);
    } catch {
      parsed = text;
      raw = true;
    }
    const r = rec(out.length, event, parsed, { id, t: 0.9 + 0.01 * out.length });
    if (raw) r.raw = true;
    out.push(r);
  }
  return out;
}

export const HOSTILE = [
  `<img src=x onerror=alert(1)>`,
  `<script>alert(1)</script>`,
  `"><svg onload=alert(1)>`,
  `</div><iframe src="javascript:alert(1)"></iframe>`,
];

/** No element that hostile markup could have produced exists under `root`. */
export function assertNoInjectedElements(root: Element): void {
  const bad = root.querySelectorAll("img, script, svg, iframe");
  if (bad.length > 0) throw new Error(`injected elements: ${[...bad].map((e) => e.outerHTML).join(", ")}`);
}

/** Click and return the element for chaining. */
export function click(el: Element | null | undefined): void {
  if (!el) throw new Error("nothing to click");
  (el as HTMLElement).click();
}

export function mustQuery<T extends Element = HTMLElement>(root: ParentNode, selector: string): T {
  const el = root.querySelector<T>(selector);
  if (!el) throw new Error(`no element matches ${selector}`);
  return el;
}

const mounted: Array<() => void> = [];
afterEach(() => {
  while (mounted.length) mounted.pop()!();
  document.body.replaceChildren();
});

/** Render the widget for `model` into a fresh element of the page, as
 * anywidget does; it is unmounted after each test. */
export function mountWidget(model: FakeModel): HTMLElement {
  const el = document.createElement("div");
  document.body.append(el);
  const cleanup = widget.render!({ model, el } as never);
  if (typeof cleanup === "function") mounted.push(cleanup as () => void);
  return el;
}
