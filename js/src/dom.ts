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

/** A `.lgw-button` that does `action` (`data-lgw-action`: what the view's code and its tests find it by). */
export function actionButton(cls: string, text: string, action: string, title: string): HTMLButtonElement {
  const button = h("button", `lgw-button ${cls}`, text);
  button.type = "button";
  button.dataset.lgwAction = action;
  button.title = title;
  return button;
}

/** Default length above which strings are clipped behind a "show more" button. */
export const CLIP_AT = 400;

/** Characters each "show more" adds: a 20 MB string never enters the DOM at once. */
export const SHOW_STEP = 100_000;

/**
 * A count as en-US shows it ("50,000"). Integers are grouped here: the first
 * toLocaleString of a page loads ICU's number data (~10 ms, a frame's worth,
 * in the first frame of a stream) and each later one costs ~15 µs, and the
 * list's chrome formats counts every frame.
 */
export function formatCount(n: number): string {
  if (!Number.isSafeInteger(n)) return n.toLocaleString("en-US");
  const digits = String(Math.abs(n));
  let out = digits.length > 3 ? digits.slice(0, ((digits.length - 1) % 3) + 1) : digits;
  for (let i = out.length; i < digits.length; i += 3) out += "," + digits.slice(i, i + 3);
  return n < 0 ? "-" + out : out;
}

const fmt = formatCount;

/**
 * A span holding `text`, clipped to `limit` characters with a "show more"
 * button when longer. Only the shown part enters the DOM: "show more" adds
 * `step` characters at a time, "show less" goes back to the clip.
 */
export function clippedText(text: string, className: string, limit = CLIP_AT, quote = "", step = SHOW_STEP): HTMLElement {
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
  const less = h("button", "lgw-more lgw-less", "show less");
  less.type = "button";
  let shown = limit;
  const show = () => {
    const all = shown >= text.length;
    body.textContent = all ? quote + text + quote : quote + text.slice(0, shown) + "…";
    button.textContent = all
      ? "show less"
      : shown === limit
        ? `show more (${fmt(text.length)} chars)`
        : `show more (${fmt(shown)} of ${fmt(text.length)} chars shown)`;
    button.setAttribute("aria-expanded", String(all));
    less.hidden = all || shown === limit;
    wrap.classList.toggle("lgw-clipped", !all);
  };
  button.addEventListener("click", (e) => {
    e.stopPropagation();
    shown = shown >= text.length ? limit : Math.min(text.length, shown + Math.max(1, step));
    show();
  });
  less.addEventListener("click", (e) => {
    e.stopPropagation();
    shown = limit;
    show();
  });
  show();
  wrap.append(button, less);
  return wrap;
}

export { isPlainObject } from "./json";

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
