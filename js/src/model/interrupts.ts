// Interrupts and breakpoints as the stream reports them (DOM-free).

import type { EventRecord } from "../types";
import { INTERRUPT_KEY } from "./values";
import { isPlainObject as isObj } from "../json";

export interface InterruptItem {
  id: string | null;
  value: unknown;
}

/**
 * The interrupts an `updates` or `values` event reports: null when it reports
 * none, [] for a breakpoint (`"__interrupt__": []`).
 */
export function interruptsOf(ev: EventRecord): InterruptItem[] | null {
  if (ev.raw || (ev.mode !== "updates" && ev.mode !== "values") || !isObj(ev.data)) return null;
  if (!(INTERRUPT_KEY in ev.data)) return null;
  return toItems(ev.data[INTERRUPT_KEY]);
}

/** `[{"value": …, "id": …}, …]` (or anything else) as a list of items. */
export function toItems(value: unknown): InterruptItem[] {
  const list = Array.isArray(value) ? value : value === null || value === undefined ? [] : [value];
  return list.map((item) =>
    isObj(item) && "value" in item
      ? { id: typeof item.id === "string" && item.id ? item.id : null, value: item.value }
      : { id: null, value: item },
  );
}

/** The question of an interrupt value, when it has an obvious one. */
export function questionOf(value: unknown): string | null {
  if (typeof value === "string") return value;
  if (isObj(value)) {
    for (const key of ["question", "message", "prompt", "description"]) {
      if (typeof value[key] === "string" && value[key]) return value[key] as string;
    }
  }
  return null;
}

/**
 * The resume box's text as a resume value: JSON when it parses, else the text
 * itself.
 */
export function parseResumeValue(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return text;
  }
}
