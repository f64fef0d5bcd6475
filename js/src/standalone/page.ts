// A saved page's run: the JSON that lgwidget/exports/page.py embeds, turned
// into the traits of a StaticModel. Events carry their data as text; the
// `_snapshot` trait wants the kernel's wire shape (headers with byte counts,
// one buffer), so the texts are encoded back to UTF-8 here.

import { LIVE_STATUSES, type EventHeader } from "../types";

/** `[event, id, t, data text, raw?]`: raw 1 when the kernel kept the text unparsed. */
export type PageEvent = [event: string, id: string | null, t: number, text: string, raw?: 1];

export interface PagePayload {
  lgwidget: number;
  traits: Record<string, unknown>;
  events: PageEvent[];
  /** Events of the run that the page does not hold. */
  omitted?: number;
}

function isPayload(v: unknown): v is PagePayload {
  if (typeof v !== "object" || v === null) return false;
  const p = v as Partial<PagePayload>;
  return typeof p.traits === "object" && p.traits !== null && Array.isArray(p.events);
}

/** The payload in the page's `<script type="application/json">`, or an Error saying what is wrong. */
export function readPayload(text: string | null | undefined): PagePayload | Error {
  if (!text) return new Error("the page holds no run");
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (err) {
    return new Error(`the page's run is not valid JSON: ${String(err)}`);
  }
  return isPayload(value) ? value : new Error("the page's run has no traits or events");
}

/** The model traits that show `payload`, `_snapshot` included. */
export function pageTraits(payload: PagePayload): Record<string, unknown> {
  const encoder = new TextEncoder();
  const chunks: Uint8Array[] = [];
  const headers: EventHeader[] = [];
  let size = 0;
  for (const [event, id, t, text, raw] of payload.events) {
    const bytes = encoder.encode(typeof text === "string" ? text : "");
    chunks.push(bytes);
    size += bytes.length;
    headers.push(raw ? [event, id, t, bytes.length, 1] : [event, id, t, bytes.length]);
  }
  const data = new Uint8Array(size);
  let offset = 0;
  for (const chunk of chunks) {
    data.set(chunk, offset);
    offset += chunk.length;
  }
  const traits = { ...payload.traits };
  // A page saved mid-run is a still picture: no clock running from `started`.
  if (LIVE_STATUSES.has(String(traits.status))) traits.started = 0;
  traits._snapshot = { events: headers, data, omitted: payload.omitted ?? 0 };
  return traits;
}
