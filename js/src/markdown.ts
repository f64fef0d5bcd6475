// AI message text as Markdown: marked turns it into HTML, DOMPurify (strict
// allow-list) turns that into a DocumentFragment, which is what enters the
// page. Two layers: raw HTML written in the Markdown is shown as text (marked's
// `html` renderer escapes it), and whatever marked emits is sanitized anyway
// (links only http/https/mailto, no style, SVG, MathML, forms or frames).

import createDOMPurify, { type Config, type DOMPurify } from "dompurify";
import { Marked, type Tokens } from "marked";
import { clippedText, h } from "./dom";

/** Longer texts are shown as plain clipped text: parsing them each time a row is built costs too much. */
export const MARKDOWN_LIMIT = 100_000;
/** Rendered fragments kept for reuse (rows are rebuilt as they scroll back in), and the longest text cached. */
const CACHE_SIZE = 200;
const CACHE_TEXT_MAX = 20_000;

const ALLOWED_TAGS = [
  "a", "blockquote", "br", "code", "del", "em", "h1", "h2", "h3", "h4", "h5", "h6", "hr", "li", "ol", "p", "pre",
  "s", "strong", "table", "tbody", "td", "th", "thead", "tr", "ul",
];

const PURIFY_CONFIG: Config & { RETURN_DOM_FRAGMENT: true } = {
  ALLOWED_TAGS,
  ALLOWED_ATTR: ["href", "title", "start", "align"],
  ALLOW_DATA_ATTR: false,
  ALLOW_ARIA_ATTR: false,
  // Absolute http(s) and mailto only: no javascript:/data: URLs, no relative
  // links resolving against the Jupyter server.
  ALLOWED_URI_REGEXP: /^(?:https?:\/\/|mailto:)/i,
  FORBID_ATTR: ["style"],
  RETURN_DOM_FRAGMENT: true,
};

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

const marked = new Marked({
  gfm: true,
  breaks: true,
  async: false,
  renderer: {
    // HTML written in the Markdown is text, as the model wrote it.
    html({ text, block }: Tokens.HTML | Tokens.Tag): string {
      return block ? `<p>${escapeHtml(text)}</p>` : escapeHtml(text);
    },
    // Images would load from wherever the text points: a link instead.
    image({ href, text }: Tokens.Image): string {
      return `<a href="${escapeHtml(href)}">${escapeHtml(`image: ${text || href}`)}</a>`;
    },
    // No form controls: task list boxes as text.
    checkbox({ checked }: Tokens.Checkbox): string {
      return checked ? "[x] " : "[ ] ";
    },
  },
});

let purifier: DOMPurify | null = null;

/** One DOMPurify instance of our own, so its hook never touches another user's. */
function purify(): DOMPurify {
  if (purifier) return purifier;
  const p = createDOMPurify(window);
  p.addHook("afterSanitizeAttributes", (node) => {
    if (node instanceof HTMLAnchorElement && node.hasAttribute("href")) {
      node.setAttribute("target", "_blank");
      node.setAttribute("rel", "noopener noreferrer");
    }
  });
  purifier = p;
  return p;
}

/** The parts tests replace to exercise the fallbacks. */
export const engine = {
  parse: (text: string): string => marked.parse(text, { async: false }),
  sanitize: (html: string): DocumentFragment | string => {
    const p = purify();
    // An engine that cannot sanitize returns its input unchanged: never use that.
    return p.isSupported ? p.sanitize(html, PURIFY_CONFIG) : html;
  },
};

const cache = new Map<string, DocumentFragment>();

/** Sanitized fragment for `text` (a fresh copy), or null when it cannot be rendered safely. */
export function markdownFragment(text: string): DocumentFragment | null {
  const hit = cache.get(text);
  if (hit) {
    cache.delete(text);
    cache.set(text, hit);
    return hit.cloneNode(true) as DocumentFragment;
  }
  let frag: DocumentFragment;
  try {
    const out = engine.sanitize(engine.parse(text));
    if (typeof out === "string") return null;
    frag = out;
  } catch (err) {
    console.warn("lgwidget: cannot render Markdown", err);
    return null;
  }
  // marked puts a line break between blocks: drop those, text nodes between blocks only add space.
  for (const node of [...frag.childNodes]) {
    if (node.nodeType === Node.TEXT_NODE && !node.textContent?.trim()) node.remove();
  }
  if (text.length <= CACHE_TEXT_MAX) {
    cache.set(text, frag.cloneNode(true) as DocumentFragment);
    if (cache.size > CACHE_SIZE) cache.delete(cache.keys().next().value as string);
  }
  return frag;
}

/**
 * `div.lgw-md` with `text` rendered as Markdown; plain clipped text
 * (`className`) when it is too long or cannot be rendered safely.
 */
export function renderMarkdown(text: string, className = "lgw-text"): HTMLElement {
  const frag = text.length <= MARKDOWN_LIMIT ? markdownFragment(text) : null;
  if (!frag) return clippedText(text, className);
  const el = h("div", "lgw-md");
  el.append(frag);
  return el;
}

const FENCE = /^ {0,3}(`{3,}|~{3,})/;

/**
 * Where the complete Markdown blocks of a growing text end: after a blank
 * line or a closing code fence, outside code fences. Each character is
 * searched once however often the text grows, so a streamed message renders
 * each block once, when it is complete.
 */
export class BlockEnds {
  private searched = 0;
  private lineStart = 0;
  private fence: string | null = null;
  private last = 0;

  /** The end of the last complete block in `text[0, end)` (0: none yet); `text` only grows between calls. */
  feed(text: string, end: number): number {
    for (;;) {
      const nl = text.indexOf("\n", this.searched);
      if (nl < 0 || nl >= end) {
        this.searched = Math.max(this.searched, end);
        return this.last;
      }
      const line = text.slice(this.lineStart, nl);
      this.searched = this.lineStart = nl + 1;
      const fence = FENCE.exec(line)?.[1];
      if (this.fence !== null) {
        if (fence && fence[0] === this.fence[0] && fence.length >= this.fence.length && line.trim() === fence) {
          this.fence = null;
          this.last = this.lineStart;
        }
      } else if (fence) {
        this.fence = fence;
      } else if (line.trim() === "") {
        this.last = this.lineStart;
      }
    }
  }
}

/** Whether `frag` is one paragraph of nothing but `text` (Markdown would change nothing). */
export function isPlainParagraph(frag: DocumentFragment, text: string): boolean {
  const only = frag.firstChild;
  return frag.childNodes.length === 1 && only instanceof HTMLParagraphElement && only.childElementCount === 0 && only.textContent === text.trim();
}
