// Tiny DOM helpers. Everything from the server goes in through textContent:
// nothing here ever parses HTML.

export function h<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  className?: string,
  text?: string,
): HTMLElementTagNameMap[K] {
  const el = document.createElement(tag);
  if (className) el.className = className;
  if (text !== undefined) el.textContent = text;
  return el;
}

/** Default length above which strings are clipped behind a "show more" button. */
export const CLIP_AT = 400;

/**
 * A span holding `text`, clipped to `limit` characters with a "show more"
 * button when longer. The full text only enters the DOM when asked for.
 */
export function clippedText(text: string, className: string, limit = CLIP_AT, quote = ""): HTMLElement {
  const wrap = h("span", className);
  const body = h("span", "lgw-text-body");
  wrap.append(body);
  if (text.length <= limit) {
    body.textContent = quote + text + quote;
    return wrap;
  }
  wrap.classList.add("lgw-clipped");
  const button = h("button", "lgw-more");
  button.type = "button";
  let open = false;
  const show = () => {
    body.textContent = open ? quote + text + quote : quote + text.slice(0, limit) + "…";
    button.textContent = open ? "show less" : `show more (${text.length.toLocaleString("en-US")} chars)`;
    button.setAttribute("aria-expanded", String(open));
    wrap.classList.toggle("lgw-clipped", !open);
  };
  button.addEventListener("click", (e) => {
    e.stopPropagation();
    open = !open;
    show();
  });
  show();
  wrap.append(button);
  return wrap;
}

export function isPlainObject(v: unknown): v is Record<string, unknown> {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

/** "+0.91 s" */
export function formatOffset(t: unknown): string {
  return typeof t === "number" && Number.isFinite(t) ? `+${t.toFixed(2)} s` : "";
}

/** Elapsed seconds as "0.8 s", "12.3 s", "2 min 05 s", "1 h 02 min". */
export function formatElapsed(seconds: number): string {
  if (!Number.isFinite(seconds) || seconds < 0) return "";
  if (seconds < 60) return `${seconds.toFixed(1)} s`;
  const s = Math.floor(seconds);
  const m = Math.floor(s / 60);
  if (m < 60) return `${m} min ${String(s % 60).padStart(2, "0")} s`;
  return `${Math.floor(m / 60)} h ${String(m % 60).padStart(2, "0")} min`;
}
