// The persisted snapshot (the `_snapshot` trait, lgwidget/wire/snapshot.py) in its
// shapes, read as JSON headers and one data buffer for `decodeEvents`:
// - binary headers: `{"v": 3, "names": [event names], "headers": <binary
//   headers, as in append messages>, "data": [<buffer>, ...], "omitted": n}`;
//   the data buffers hold the events' data back to back (the kernel shares
//   the first with its event log, so it sends one or two);
// - JSON headers (notebooks saved before): `{"events": [[event, id, t,
//   nbytes], ...], "data": <buffer>, "omitted": n}`.
// The even older list of records is handled by the transport.

import { decodeHeaders, joinBytes, toBytes } from "./records";
import { isPlainObject as isObj } from "./json";

export interface SavedEvents {
  /** Seq of the first event. */
  from: number;
  /** JSON headers (or, from a very old kernel, record objects). */
  events: readonly unknown[];
  /** The events' data bytes, back to back. */
  data: Uint8Array | null;
  /** Events of the run left out of the snapshot. */
  omitted: number;
}

/** The events of a snapshot object (binary or JSON headers); null for anything else (`{}`, a list). */
export function readSnapshot(snap: unknown): SavedEvents | null {
  if (!isObj(snap)) return null;
  let events: readonly unknown[];
  if (Array.isArray(snap.names)) events = decodeHeaders(snap.names, toBytes(snap.headers));
  else if (Array.isArray(snap.events)) events = snap.events;
  else return null;
  const from = typeof snap.from === "number" && Number.isInteger(snap.from) && snap.from >= 0 ? snap.from : 0;
  const omitted = typeof snap.omitted === "number" && snap.omitted > 0 ? Math.floor(snap.omitted) : 0;
  return { from, events, data: joinBytes(snap.data), omitted };
}
