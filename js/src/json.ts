// JSON text of a value that never throws: a value nested too deep for the
// engine's (recursive) JSON.stringify, or one with a cycle, gives a short
// placeholder instead of an exception.

export function stringify(value: unknown): string {
  try {
    return JSON.stringify(value) ?? String(value);
  } catch {
    return "[value too deep or circular to show as text]";
  }
}

/** A JSON object (not null, not an array). */
export function isPlainObject(v: unknown): v is Record<string, unknown> {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}
