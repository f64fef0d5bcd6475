// Event records from the kernel's wire format: a header per event, `[event,
// id, t, nbytes]` (JSON headers, types.ts EventHeader), and one binary buffer
// holding the events' data texts (UTF-8) back to back. Append messages and
// the snapshots current kernels save carry the headers as a compact binary
// buffer instead (about 5 bytes an event, where JSON takes more than the data
// of a small one): `decodeHeaders` turns it into JSON headers; older
// notebooks keep JSON headers. A record's data is
// decoded and parsed when it is first read, so taking in a large batch (a
// reloaded page asking for 50,000 events) costs little until the events are
// shown.

import { inflateSync } from "fflate";
import type { EventHeader, EventRecord } from "./types";

const decoder = typeof TextDecoder === "function" ? new TextDecoder("utf-8", { fatal: false }) : null;

/** The bytes of a comm buffer: a DataView, a typed array or an ArrayBuffer. */
export function toBytes(buffer: unknown): Uint8Array | null {
  if (buffer === null || buffer === undefined) return null;
  if (ArrayBuffer.isView(buffer)) return new Uint8Array(buffer.buffer, buffer.byteOffset, buffer.byteLength);
  const tag = Object.prototype.toString.call(buffer);
  if (tag === "[object ArrayBuffer]" || tag === "[object SharedArrayBuffer]") return new Uint8Array(buffer as ArrayBuffer);
  return null;
}

/** One buffer or a list of them as one byte array (not copied when there is one). */
export function joinBytes(data: unknown): Uint8Array | null {
  if (!Array.isArray(data)) return toBytes(data);
  const parts = data.map(toBytes).filter((p): p is Uint8Array => p !== null);
  if (parts.length <= 1) return parts[0] ?? null;
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let offset = 0;
  for (const p of parts) {
    out.set(p, offset);
    offset += p.length;
  }
  return out;
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

/**
 * The data bytes of one message (or snapshot), shared by its records, and
 * decoded all at once when they are ASCII text of at most a MiB: TextDecoder
 * costs ~1 µs a call, more than parsing a small event, so a call per event of
 * a burst of 2,000 small events was most of what placing them cost.
 */
interface Chunk {
  readonly bytes: Uint8Array;
  /**
   * The bytes as text while its records are read, when each byte decoded to
   * one character (ASCII): then a record's text is a slice of it. undefined:
   * not decoded yet; null: decode each record's bytes.
   */
  text: string | null | undefined;
  /** Records not read yet: the text is dropped once all are. */
  unread: number;
}

/** A chunk up to this size is decoded at once (~1 ms), ASCII permitting. */
const WHOLE_DECODE_BYTES = 1 << 20;

/** Where a lazy record's data is, and, once read, what it is. */
interface LazyState {
  readonly chunk: Chunk;
  /** The record's bytes are the chunk's [start, end). */
  readonly start: number;
  readonly end: number;
  /** The parsed data; PENDING until first read. */
  value: unknown;
  /** Before the first read: the kernel kept the text as it is. After: the data is raw text. */
  raw: boolean | undefined;
}

const PENDING: unique symbol = Symbol("lgw.pending");
/**
 * A lazy record's state: a non-enumerable symbol property, so the record
 * still spreads, compares and serializes like a plain one (not a WeakMap:
 * 50,000 weak entries cost every garbage collection).
 */
const LAZY: unique symbol = Symbol("lgw.lazy");

type Lazy = EventRecord & { [LAZY]?: LazyState };

const NO_BYTES = new Uint8Array(0);
/** The ns of every lazy record of the root namespace (nothing changes an ns). */
const ROOT_NS = Object.freeze([]) as unknown as string[];

function chunkOf(bytes: Uint8Array): Chunk {
  return { bytes, text: bytes.length <= WHOLE_DECODE_BYTES ? undefined : null, unread: 0 };
}

/** A lazy record's data text (`whole`: a slice of the chunk's text will do). */
function textOf(s: LazyState, whole = true): string {
  const c = s.chunk;
  if (c.text === undefined && whole) {
    const text = decodeText(c.bytes);
    // As many characters as bytes: every byte was one character, so byte
    // offsets are character offsets (a multi-byte character, or a BOM the
    // decoder drops, makes the text shorter).
    c.text = text.length === c.bytes.length ? text : null;
  }
  return c.text && whole ? c.text.slice(s.start, s.end) : decodeText(c.bytes.subarray(s.start, s.end));
}

/**
 * An event's data as text: the bytes it came as (lazy records), else the raw
 * text, else its JSON. "" when there is none or it cannot be serialized.
 */
export function dataText(rec: EventRecord): string {
  const lazy = (rec as Lazy)[LAZY];
  if (lazy) return textOf(lazy);
  const data = rec.data;
  if (typeof data === "string" && rec.raw) return data;
  if (data === undefined || data === null) return "";
  try {
    return JSON.stringify(data) ?? "";
  } catch {
    return ""; // a cycle or a BigInt: nothing to search
  }
}

/** Decode and parse a lazy record's bytes (once). */
function materialize(s: LazyState): LazyState {
  if (s.value !== PENDING) return s;
  // Raw text is kept as it is: a text of its own, not a slice holding on to
  // the whole chunk's (a parsed value holds none of the text it came from).
  const text = textOf(s, !s.raw);
  if (--s.chunk.unread === 0 && s.chunk.text) s.chunk.text = null;
  if (s.raw) {
    s.value = text;
    return s;
  }
  const { data, raw } = parseData(text);
  s.value = raw ? textOf(s, false) : data; // (not JSON: kept as it is, as above)
  s.raw = raw || undefined;
  return s;
}

// The accessors of every lazy record: one pair of functions for all, so that
// the records share one hidden class. They stay accessors once the data is
// parsed: turning an accessor into a plain property (or deleting one) puts
// the object in dictionary mode in V8, ~220 bytes more per record, slower to
// read and to collect (per-record closures did so from the start).
const LAZY_DATA: PropertyDescriptor = {
  get(this: Lazy) {
    return materialize(this[LAZY]!).value;
  },
  set(this: Lazy, value: unknown) {
    materialize(this[LAZY]!).value = value;
  },
  enumerable: true,
  configurable: true,
};
const LAZY_RAW: PropertyDescriptor = {
  get(this: Lazy) {
    return materialize(this[LAZY]!).raw;
  },
  set(this: Lazy, value: boolean | undefined) {
    materialize(this[LAZY]!).raw = value;
  },
  enumerable: true,
  configurable: true,
};

function makeLazy(seq: number, event: string, id: string | null, t: number, chunk: Chunk, rawText: boolean, start: number, end: number): EventRecord {
  const bar = event.indexOf("|");
  const rec = {
    seq,
    event,
    mode: bar >= 0 ? event.slice(0, bar) : event,
    ns: bar >= 0 ? event.slice(bar + 1).split("|") : ROOT_NS,
    id,
    t,
  } as Lazy;
  const state: LazyState = { chunk, start, end, value: PENDING, raw: rawText || undefined };
  chunk.unread++;
  Object.defineProperty(rec, LAZY, { value: state });
  Object.defineProperty(rec, "data", LAZY_DATA);
  Object.defineProperty(rec, "raw", LAZY_RAW);
  return rec;
}

/**
 * A record whose `data` (and `raw`) are decoded from `bytes` on first read
 * (`rawText`: the kernel kept the text as it is; it is not parsed). Both are
 * own enumerable properties (accessors), so the record spreads, compares and
 * serializes like a plain one; `raw` reads undefined unless the data is raw
 * text.
 */
export function lazyRecord(seq: number, event: string, id: string | null, t: number, bytes: Uint8Array, rawText = false): EventRecord {
  return makeLazy(seq, event, id, t, chunkOf(bytes), rawText, 0, bytes.length);
}

function int(v: unknown): number {
  return typeof v === "number" && Number.isFinite(v) && v > 0 ? Math.floor(v) : 0;
}

/**
 * The records of an append (or snapshot) starting at seq `from`. `events`
 * holds JSON headers `[event, id, t, nbytes]` (`, 1` appended when the data is
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
  const chunk = chunkOf(bytes ?? NO_BYTES);
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
    const event = typeof e[0] === "string" && e[0] ? e[0] : "message";
    const id = typeof e[1] === "string" ? e[1] : null;
    const t = typeof e[2] === "number" ? e[2] : NaN;
    // The record keeps its range of the chunk, not a view of its own (a typed array each).
    records.push(makeLazy(from + i, event, id, t, chunk, e[4] === 1 || e[4] === true, start, end));
  }
  return { start: from + first, records };
}

/** What the kernel puts where it clipped a long string in the saved snapshot (lgwidget/wire/snapshot.py). */
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

/** Index (in `events`) of the first header whose data the kernel clipped for the snapshot; -1 when none. */
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

/** Reads unsigned LEB128 varints (lgwidget/wire/headers.py); past the end it throws. */
class VarintReader {
  pos = 0;
  constructor(readonly bytes: Uint8Array) {}

  varint(): number {
    let value = 0;
    let scale = 1; // multiplication, not shifts: values go up to 2**53
    for (;;) {
      if (this.pos >= this.bytes.length) throw new RangeError("cut header");
      const byte = this.bytes[this.pos++]!;
      value += (byte & 0x7f) * scale;
      if (byte < 0x80) return value;
      scale *= 128;
    }
  }
}

/**
 * Headers and data of a deflated append message (`"deflate": [headers size,
 * data size]` with one raw-deflate buffer: the kernel packs messages of small
 * events so). Null when the buffer does not inflate to those sizes.
 */
export function inflateAppend(sizes: unknown, packed: Uint8Array | null): [Uint8Array, Uint8Array] | null {
  if (!Array.isArray(sizes) || sizes.length !== 2 || !packed) return null;
  const [head, data] = sizes as unknown[];
  if (!Number.isInteger(head) || !Number.isInteger(data)) return null;
  let plain: Uint8Array;
  try {
    plain = inflateSync(packed);
  } catch {
    return null;
  }
  const h = head as number;
  if (h < 0 || plain.length !== h + (data as number)) return null;
  return [plain.subarray(0, h), plain.subarray(h)];
}

/**
 * The binary headers buffer of an append message or a snapshot (see
 * lgwidget/wire/headers.py for the layout) as JSON headers `[event, id, t, nbytes]`
 * (`, 1` when raw), ready for `decodeEvents`. `names` is the message's names
 * table. A header cut short, or naming an index the table lacks, ends the
 * list there: the store then sees fewer events and asks again.
 */
export function decodeHeaders(names: readonly unknown[], head: Uint8Array | null): EventHeader[] {
  const out: EventHeader[] = [];
  if (!head) return out;
  const reader = new VarintReader(head);
  let prevMs = 0;
  let prevT = 0;
  try {
    while (reader.pos < head.length) {
      const tag = reader.varint();
      const kind = Math.floor(tag / 2) % 4;
      const name = names[Math.floor(tag / 8)];
      if (typeof name !== "string") break;
      let id: string | null = null;
      if (kind === 2) {
        prevMs += reader.varint();
        id = `${prevMs}-${reader.varint()}`;
      } else if (kind === 1) {
        const size = reader.varint();
        if (reader.pos + size > head.length) break;
        id = decodeText(head.subarray(reader.pos, reader.pos + size));
        reader.pos += size;
      }
      const zigzag = reader.varint();
      prevT += zigzag % 2 === 0 ? zigzag / 2 : -(zigzag + 1) / 2;
      const header: EventHeader = [name || "message", id, prevT / 1000, reader.varint()];
      if (tag % 2 === 1) header.push(1);
      out.push(header);
    }
  } catch (err) {
    if (!(err instanceof RangeError)) throw err;
  }
  return out;
}
