// "copy" on each entry: the event's record as JSON to the clipboard. The
// async Clipboard API needs a secure context (https or localhost); elsewhere,
// or when it is refused, a hidden textarea and execCommand("copy") do it. The
// button says what happened ("copied", or the error) for a moment.

import { actionButton, h } from "../dom";
import type { EventRecord } from "../types";

/** How long the button shows the outcome, ms. */
export const FEEDBACK_MS = 2000;

/** An event's record as pretty JSON: `{seq, event, mode, ns, data, id, t}` (and `raw` when set). */
export function recordJson(ev: EventRecord): string {
  const out: Record<string, unknown> = { seq: ev.seq, event: ev.event, mode: ev.mode, ns: ev.ns, data: ev.data, id: ev.id, t: ev.t };
  if (ev.raw) out.raw = true;
  return JSON.stringify(out, null, 2);
}

/** Copy through a selected textarea (no Clipboard API, or it refused). True when the browser copied. */
function copyWithSelection(text: string): boolean {
  const area = h("textarea", "lgw-copy-buffer");
  area.value = text;
  area.setAttribute("readonly", "");
  area.setAttribute("aria-hidden", "true");
  const before = document.activeElement;
  document.body.append(area);
  area.select();
  try {
    return typeof document.execCommand === "function" && document.execCommand("copy");
  } catch {
    return false;
  } finally {
    area.remove();
    if (before instanceof HTMLElement) before.focus({ preventScroll: true });
  }
}

/** Put `text` on the clipboard; rejects with the reason when neither way works. */
export async function copyText(text: string): Promise<void> {
  const clipboard = typeof navigator !== "undefined" ? navigator.clipboard : undefined;
  let refused: unknown = null;
  if (clipboard && typeof clipboard.writeText === "function") {
    try {
      await clipboard.writeText(text);
      return;
    } catch (err) {
      refused = err;
    }
  }
  if (copyWithSelection(text)) return;
  throw refused instanceof Error ? refused : new Error("the browser did not allow copying");
}

/** The copy button of an entry's head (render/common.ts `entryHead`); clicks are handled by `handleCopy`. */
export function copyButton(): HTMLButtonElement {
  return actionButton("lgw-copy", "copy", "copy", "Copy this event as JSON");
}

/**
 * Handle clicks on the copy buttons inside `list`: copy the record of the
 * entry's event (`data-lgw-seq`, looked up with `get`). Returns the cleanup.
 */
export function handleCopy(list: HTMLElement, get: (seq: number) => EventRecord | undefined): () => void {
  const timers = new Map<HTMLElement, ReturnType<typeof setTimeout>>();
  const show = (button: HTMLElement, state: "ok" | "error", text: string) => {
    button.dataset.lgwCopied = state;
    button.textContent = text;
    clearTimeout(timers.get(button));
    timers.set(
      button,
      setTimeout(() => {
        timers.delete(button);
        button.removeAttribute("data-lgw-copied");
        button.textContent = "copy";
      }, FEEDBACK_MS),
    );
  };
  const onClick = (e: MouseEvent) => {
    const button = (e.target as Element | null)?.closest<HTMLElement>('[data-lgw-action="copy"]');
    if (!button || !list.contains(button)) return;
    e.stopPropagation();
    const entry = button.closest<HTMLElement>("[data-lgw-seq]");
    const ev = entry ? get(Number(entry.dataset.lgwSeq)) : undefined;
    if (!ev) {
      show(button, "error", "copy failed: event not found");
      return;
    }
    copyText(recordJson(ev)).then(
      () => show(button, "ok", "copied"),
      (err: unknown) => show(button, "error", `copy failed: ${err instanceof Error ? err.message : String(err)}`),
    );
  };
  list.addEventListener("click", onClick);
  return () => {
    list.removeEventListener("click", onClick);
    for (const timer of timers.values()) clearTimeout(timer);
    timers.clear();
  };
}
