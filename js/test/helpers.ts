// Test helpers: a fake anywidget model, a fake kernel that answers hello, an
// event-record builder and a small SSE parser for the captured fixtures.

import type { EventRecord, Model } from "../src/types";

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
  custom(msg: unknown): void {
    this.emit("msg:custom", msg, []);
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

/** Answers hello with the events from `have` on, like RunTimeline does. */
export class FakeKernel {
  readonly events: EventRecord[] = [];

  constructor(readonly model: FakeModel) {
    model.onSend = (msg) => {
      const m = msg as { type?: unknown; have?: unknown };
      if (m.type === "hello" && typeof m.have === "number") {
        model.custom({ type: "append", from: m.have, events: this.events.slice(m.have) });
      }
    };
  }

  /** Record new events and broadcast them. */
  push(...events: EventRecord[]): void {
    const from = this.events.length;
    this.events.push(...events);
    this.model.set({ count: this.events.length });
    this.model.custom({ type: "append", from, events });
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
