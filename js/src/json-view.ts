// Collapsible JSON viewer. Lazy: a branch's children are built only when it
// is expanded, one level at a time, and long child lists are paged. Nothing
// recurses over the value, so arbitrarily deep JSON cannot overflow the stack.
// Keys and values go in as text only.

import { CLIP_AT, clippedText, formatCount, h } from "./dom";
import { Pager } from "./paging";
import { collapsible, type Collapsible } from "./render/common";

export interface JsonViewOptions {
  /** Levels expanded at once (0: all collapsed; 1: the top level open). */
  expandDepth?: number;
  /** Strings longer than this are clipped behind "show more". */
  clipAt?: number;
  /** Children shown per page of a large object or array. */
  pageSize?: number;
  /**
   * Show a non-empty object or array without its own row: its children are
   * listed directly (always built). Compact for an entry's top level.
   */
  bare?: boolean;
}

interface Settings {
  clipAt: number;
  pageSize: number;
}

/** Cap on the branches opened automatically by expandDepth. */
const AUTO_EXPAND_LIMIT = 200;

export function jsonView(value: unknown, options: JsonViewOptions = {}): HTMLElement {
  const settings: Settings = {
    clipAt: options.clipAt ?? CLIP_AT,
    pageSize: options.pageSize ?? 100,
  };
  const root = h("div", "lgw-json");
  const top = buildNode(null, value, settings);
  let depth = options.expandDepth ?? 0;
  let queue: Branch[] = [];
  if (options.bare && top.branch) {
    root.classList.add("lgw-json-bare");
    queue = top.branch.expand();
    root.append(top.branch.childrenEl);
    depth -= 1;
  } else {
    root.append(top.el);
    if (top.branch) queue = [top.branch];
  }
  // Iterative, bounded auto-expansion.
  let opened = 0;
  for (let level = 0; level < depth && queue.length > 0; level++) {
    const next: Branch[] = [];
    for (const branch of queue) {
      if (opened++ >= AUTO_EXPAND_LIMIT) break;
      next.push(...branch.expand());
    }
    queue = next;
  }
  return root;
}

interface Built {
  el: HTMLElement;
  branch: Branch | null;
}

function buildNode(key: string | null, value: unknown, settings: Settings): Built {
  if (typeof value === "object" && value !== null) {
    const isArray = Array.isArray(value);
    const size = isArray ? value.length : Object.keys(value).length;
    if (size > 0) {
      const branch = new Branch(key, value, isArray, size, settings);
      return { el: branch.el, branch };
    }
  }
  const row = h("div", "lgw-json-node lgw-json-leaf");
  if (key !== null) row.append(keySpan(key));
  row.append(leaf(value, settings));
  return { el: row, branch: null };
}

/** Keys longer than this are cut (a key is a label, not content). */
const KEY_CLIP = 1000;

function keySpan(key: string): HTMLElement {
  const frag = h("span", "lgw-json-keywrap");
  const text = key.length > KEY_CLIP ? key.slice(0, KEY_CLIP) + "…" : key;
  const el = h("span", "lgw-json-key", text);
  if (text !== key) el.title = `${formatCount(key.length)} chars`;
  frag.append(el, h("span", "lgw-json-colon", ": "));
  return frag;
}

function leaf(value: unknown, settings: Settings): HTMLElement {
  switch (typeof value) {
    case "string":
      return clippedText(value, "lgw-json-string", settings.clipAt, '"');
    case "number":
    case "bigint":
      return h("span", "lgw-json-number", String(value));
    case "boolean":
      return h("span", "lgw-json-boolean", String(value));
    case "undefined":
      return h("span", "lgw-json-null", "undefined");
    default:
      if (value === null) return h("span", "lgw-json-null", "null");
      if (Array.isArray(value)) return h("span", "lgw-json-punct", "[]");
      if (typeof value === "object") return h("span", "lgw-json-punct", "{}");
      return h("span", "lgw-json-other", String(value));
  }
}

/** Short one-level preview of a child value, e.g. `"abc"`, `42`, `{…}`. */
function short(value: unknown): string {
  if (typeof value === "string") {
    const s = value.length > 24 ? value.slice(0, 24) + "…" : value;
    return JSON.stringify(s);
  }
  if (Array.isArray(value)) return value.length ? "[…]" : "[]";
  if (typeof value === "object" && value !== null) {
    for (const _ in value) return "{…}";
    return "{}";
  }
  return String(value);
}

const PREVIEW_ITEMS = 3;

class Branch {
  readonly el: HTMLElement;
  /** The children, built a page at a time from the first open on. */
  readonly childrenEl = h("div", "lgw-json-children");
  private readonly pager: Pager<Built>;
  private readonly view: Collapsible;
  private keys: string[] | null = null;
  /** The child branches the last expand() built. */
  private opened: Branch[] = [];

  constructor(
    key: string | null,
    private readonly value: object,
    private readonly isArray: boolean,
    size: number,
    private readonly settings: Settings,
  ) {
    this.el = h("div", "lgw-json-node lgw-json-branch");
    this.el.dataset.lgwJsonType = isArray ? "array" : "object";
    const toggle = h("button", "lgw-json-toggle");
    toggle.type = "button";
    toggle.append(h("span", "lgw-json-arrow", "▸"));
    if (key !== null) toggle.append(keySpan(key));
    toggle.append(
      h("span", "lgw-json-preview", this.preview()),
      h("span", "lgw-json-size", ` ${size} ${isArray ? (size === 1 ? "item" : "items") : size === 1 ? "key" : "keys"}`),
    );
    this.el.append(toggle);
    this.pager = new Pager({
      list: () => this.childrenEl,
      total: () => size,
      build: (i) => this.child(i),
      el: (built) => built.el,
      page: settings.pageSize,
      later: { cls: "lgw-json-more", text: (n, left) => `show ${n} more (${left} left)`, click: () => this.page() },
    });
    this.view = collapsible(this.el, toggle, this.childrenEl, {
      openClass: "lgw-open",
      build: () => {
        this.el.append(this.childrenEl);
        this.opened = this.page();
      },
    });
  }

  private preview(): string {
    const parts: string[] = [];
    if (this.isArray) {
      const arr = this.value as unknown[];
      for (let i = 0; i < Math.min(PREVIEW_ITEMS, arr.length); i++) parts.push(short(arr[i]));
      return `[${parts.join(", ")}${arr.length > PREVIEW_ITEMS ? ", …" : ""}]`;
    }
    let n = 0;
    for (const k in this.value) {
      if (n++ >= PREVIEW_ITEMS) {
        parts.push("…");
        break;
      }
      const key = k.length > 24 ? k.slice(0, 24) + "…" : k;
      parts.push(`${key}: ${short((this.value as Record<string, unknown>)[k])}`);
    }
    return `{${parts.join(", ")}}`;
  }

  /** Show the children, building the first page if needed. Returns new child branches. */
  expand(): Branch[] {
    this.opened = [];
    this.view.set(true);
    return this.opened;
  }

  /** Build the next page of children; returns the branches among them. */
  private page(): Branch[] {
    const built = this.pager.append(this.pager.to + this.settings.pageSize);
    this.pager.update();
    const branches: Branch[] = [];
    for (const b of built) if (b.branch) branches.push(b.branch);
    return branches;
  }

  private child(i: number): Built {
    if (this.isArray) return buildNode(String(i), (this.value as unknown[])[i], this.settings);
    this.keys ??= Object.keys(this.value);
    const k = this.keys[i]!;
    return buildNode(k, (this.value as Record<string, unknown>)[k], this.settings);
  }
}
