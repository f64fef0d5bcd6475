// Event records from the kernel's wire format (DESIGN.md section 5, transport
// v2): a header per event, `[event, id, t, nbytes]`, and one binary buffer
// holding the events' data texts (UTF-8) back to back. A record's data is
// decoded and parsed when it is first read, so taking in a large batch (a
// reloaded page asking for 50,000 events) costs little until the events are
// shown.

import type { EventRecord } from "./types";

const decoder = typeof TextDecoder === "function" ? new TextDecoder("utf-8", { fatal: false }) : null;

/** The bytes of a comm buffer: a DataView, a typed array or an ArrayBuffer. */
export function toBytes(buffer: unknown): Uint8Array | null {
  if (buffer === null || buffer === undefined) return null;
  if (ArrayBuffer.isView(buffer)) return new Uint8Array(buffer.buffer, buffer.byteOffset, buffer.byteLength);
  const tag = Object.prototype.toString.call(buffer);
  if (tag === "[object ArrayBuffer]" || tag === "[object SharedArrayBuffer]") return new Uint8Array(buffer as ArrayBuffer);
  return null;
}

/** UTF-8 text of `bytes`; invalid sequences become U+FFFD. */
export function decodeText(bytes: Uint8Array): string {
  if (bytes.length === 0) return "";
  if (decoder) return decoder.decode(bytes);
  // No TextDecoder (very old engines): byte by byte, good enough for ASCII.
  let s = "";
  for (let i = 0; i < bytes.length; i++) s += String.fromCharCode(bytes[i]!);
  return s;
}

/** Data text -> `{data, raw}`: JSON when it parses, else the text (raw); empty text is null. */
export function parseData(text: string): { data: unknown; raw: boolean } {
  if (text === "") return { data: null, raw: false };
  try {
    return { data: JSON.parse(text) as unknown, raw: false };
  } catch {
    return { data: text, raw: true };
  }
}

function setValue(rec: object, key: string, value: unknown): void {
  Object.defineProperty(rec, key, { value, writable: true, enumerable: true, configurable: true });
}

/**
 * A record whose `data` (and `raw`) are decoded from `bytes` on first read
 * (`raw`: the kernel kept the text as it is; it is not parsed). Both are own
 * enumerable properties, so the record spreads, compares and serializes like
 * a plain one; after the first read they are plain values.
 */
export function lazyRecord(seq: number, event: string, id: string | null, t: number, bytes: Uint8Array, rawText = false): EventRecord {
  const bar = event.indexOf("|");
  const rec = {
    seq,
    event,
    mode: bar >= 0 ? event.slice(0, bar) : event,
    ns: bar >= 0 ? event.slice(bar + 1).split("|") : [],
    id,
    t,
  } as EventRecord;
  let pending = true;
  const materialize = () => {
    if (!pending) return;
    pending = false;
    const text = decodeText(bytes);
    const { data, raw } = rawText ? { data: text, raw: true } : parseData(text);
    setValue(rec, "data", data);
    if (raw) setValue(rec, "raw", true);
    else delete (rec as { raw?: boolean }).raw;
  };
  Object.defineProperty(rec, "data", {
    get() {
      materialize();
      return rec.data;
    },
    set(value: unknown) {
      materialize();
      setValue(rec, "data", value);
    },
    enumerable: true,
    configurable: true,
  });
  Object.defineProperty(rec, "raw", {
    get() {
      materialize();
      return rec.raw;
    },
    set(value: unknown) {
      materialize();
      setValue(rec, "raw", value);
    },
    enumerable: true,
    configurable: true,
  });
  return rec;
}

function int(v: unknown): number {
  return typeof v === "number" && Number.isFinite(v) && v > 0 ? Math.floor(v) : 0;
}

/**
 * The records of an append (or snapshot) starting at seq `from`. `events`
 * holds v2 headers `[event, id, t, nbytes]` (`, 1` appended when the data is
 * raw text; data in `bytes`) or, from an
 * older kernel, record objects (passed through; the store repairs them).
 * Events before seq `skipBelow` (already held) are not built. Returns the
 * seq of the first record built and the records.
 */
export function decodeEvents(
  from: number,
  events: readonly unknown[],
  bytes: Uint8Array | null,
  skipBelow = 0,
): { start: number; records: unknown[] } {
  const records: unknown[] = [];
  const first = Math.max(0, Math.min(events.length, skipBelow - from));
  let offset = 0;
  for (let i = 0; i < first; i++) {
    const e = events[i];
    if (Array.isArray(e)) offset += int(e[3]);
  }
  const size = bytes ? bytes.length : 0;
  for (let i = first; i < events.length; i++) {
    const e = events[i];
    if (!Array.isArray(e)) {
      records.push(e);
      continue;
    }
    const n = int(e[3]);
    const start = Math.min(offset, size);
    const end = Math.min(offset + n, size);
    offset += n;
    const slice = bytes && end > start ? bytes.subarray(start, end) : new Uint8Array(0);
    const event = typeof e[0] === "string" && e[0] ? e[0] : "message";
    const id = typeof e[1] === "string" ? e[1] : null;
    const t = typeof e[2] === "number" ? e[2] : NaN;
    records.push(lazyRecord(from + i, event, id, t, slice, e[4] === 1 || e[4] === true));
  }
  return { start: from + first, records };
}

/** What the kernel puts where it clipped a long string in the saved snapshot (lgwidget/snapshot.py). */
const CLIP_MARK = new TextEncoder().encode("[clipped in the saved notebook: ");
/** A clipped event holds a string of 1,000 characters and the marker: smaller ones are not looked at. */
const CLIPPED_MIN_BYTES = 1000;

function contains(bytes: Uint8Array, start: number, end: number, needle: Uint8Array): boolean {
  const first = needle[0]!;
  const last = end - needle.length;
  for (let i = bytes.indexOf(first, start); i >= 0 && i <= last; i = bytes.indexOf(first, i + 1)) {
    let j = 1;
    while (j < needle.length && bytes[i + j] === needle[j]) j++;
    if (j === needle.length) return true;
  }
  return false;
}

/** Index (in `events`) of the first v2 header whose data the kernel clipped for the snapshot; -1 when none. */
export function firstClipped(events: readonly unknown[], bytes: Uint8Array | null): number {
  if (!bytes) return -1;
  let offset = 0;
  for (let i = 0; i < events.length; i++) {
    const e = events[i];
    if (!Array.isArray(e)) continue;
    const n = int(e[3]);
    if (n >= CLIPPED_MIN_BYTES && contains(bytes, offset, Math.min(offset + n, bytes.length), CLIP_MARK)) return i;
    offset += n;
  }
  return -1;
}
