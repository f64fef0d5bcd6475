// The find toolbar above the list: a node select and kind toggles (what the
// run showed so far), a text search over the events' data (debounced), the
// "n of N events match" count with a clear button, and expand / collapse
// all. It reads and writes the view's FilterState, so a node picked in the
// graph shows here too.

import { actionButton, formatCount, h } from "../dom";
import type { Filter, FilterState } from "../filter";
import type { FindInfo } from "../model/filter";

/** Typing pause before a search runs, ms (Enter runs it at once). */
export const SEARCH_DEBOUNCE_MS = 200;

/** What the toolbar needs from the timeline. */
export interface FindSource {
  find(): FindInfo;
  onFind(fn: () => void): () => void;
  expandAll(on: boolean): void;
}

export interface Toolbar {
  el: HTMLElement;
  destroy(): void;
}

const fmt = formatCount;

/** The node select: "all nodes" and the nodes seen (and the one picked, seen or not). */
class NodeSelect {
  readonly el = h("select", "lgw-filter-node");
  private shown: readonly string[] = [];

  constructor(filter: FilterState) {
    this.el.dataset.lgwFilterNode = "";
    this.el.setAttribute("aria-label", "show the events of one node");
    this.el.addEventListener("change", () => filter.set({ node: this.el.value === "" ? null : this.el.value }));
  }

  update(names: readonly string[], f: Filter): void {
    const all = f.node !== null && !names.includes(f.node) ? [...names, f.node] : names;
    if (all.length !== this.shown.length || all.some((n, i) => n !== this.shown[i])) {
      this.shown = all;
      const any = h("option", undefined, "all nodes");
      any.value = "";
      this.el.replaceChildren(any, ...all.map((name) => Object.assign(h("option", undefined, name), { value: name })));
    }
    this.el.value = f.node ?? "";
  }
}

/** A toggle chip per event kind seen: pressed, the filter shows that kind. */
class KindChips {
  readonly el = h("span", "lgw-filter-kinds");
  private shown: readonly string[] = [];
  private readonly chips = new Map<string, HTMLButtonElement>();

  constructor(private readonly filter: FilterState) {
    this.el.setAttribute("role", "group");
    this.el.setAttribute("aria-label", "show events of these kinds");
  }

  update(names: readonly string[], f: Filter): void {
    if (names.length !== this.shown.length) {
      this.shown = names;
      for (const name of names) if (!this.chips.has(name)) this.add(name);
    }
    for (const [name, b] of this.chips) b.setAttribute("aria-pressed", String(f.kinds.has(name)));
  }

  private add(name: string): void {
    const b = h("button", "lgw-chip", name);
    b.type = "button";
    b.dataset.lgwFilterKind = name;
    b.addEventListener("click", () => {
      const next = new Set(this.filter.get().kinds);
      if (next.has(name)) next.delete(name);
      else next.add(name);
      this.filter.set({ kinds: next });
    });
    this.chips.set(name, b);
    this.el.append(b);
  }
}

/** The text search: runs after a typing pause, at once on Enter; Escape empties it. */
class SearchBox {
  readonly el = h("input", "lgw-search");
  private timer: ReturnType<typeof setTimeout> | null = null;

  constructor(private readonly filter: FilterState) {
    const search = this.el;
    search.type = "search";
    search.placeholder = "search payloads";
    search.dataset.lgwSearch = "";
    search.setAttribute("aria-label", "search the events' data");
    search.addEventListener("input", () => {
      this.cancel();
      this.timer = setTimeout(this.run, SEARCH_DEBOUNCE_MS);
    });
    search.addEventListener("keydown", (e) => {
      if (e.key === "Enter") {
        e.preventDefault();
        this.run();
      } else if (e.key === "Escape" && search.value !== "") {
        // Escape empties the search; JupyterLab keeps Escape when it is empty.
        e.preventDefault();
        e.stopPropagation();
        search.value = "";
        this.run();
      }
    });
  }

  /** Show the filter's text, unless a search is being typed. */
  update(f: Filter): void {
    if (this.timer === null && this.el.value !== f.text) this.el.value = f.text;
  }

  /** Drop the search being typed. */
  cancel(): void {
    if (this.timer !== null) clearTimeout(this.timer);
    this.timer = null;
  }

  private readonly run = (): void => {
    this.cancel();
    this.filter.set({ text: this.el.value });
  };
}

export function createToolbar(filter: FilterState, source: FindSource): Toolbar {
  const el = h("div", "lgw-toolbar");
  el.setAttribute("role", "search");
  el.setAttribute("aria-label", "find events");
  el.hidden = true;

  const node = new NodeSelect(filter);
  const kinds = new KindChips(filter);
  const search = new SearchBox(filter);
  const count = h("span", "lgw-filter-count");
  count.dataset.lgwFilterCount = "";
  count.setAttribute("role", "status");
  const clear = actionButton("lgw-filter-clear", "clear", "clear-filter", "Show every event");
  const expand = actionButton("lgw-expand-all", "expand all", "expand-all", "Open every entry and JSON value");
  const collapse = actionButton("lgw-collapse-all", "collapse all", "collapse-all", "Close every entry and JSON value");
  el.append(node.el, kinds.el, search.el, count, clear, expand, collapse);

  const update = () => {
    const info = source.find();
    const f = filter.get();
    el.hidden = info.total === 0 && !filter.active;
    node.update(info.nodes, f);
    kinds.update(info.kinds, f);
    search.update(f);
    count.hidden = !filter.active;
    clear.hidden = !filter.active;
    const text = filter.active ? `${fmt(info.matched)} of ${fmt(info.total)} events match` : "";
    if (count.textContent !== text) count.textContent = text;
    count.dataset.lgwMatched = String(info.matched);
  };

  clear.addEventListener("click", () => {
    search.cancel();
    filter.clear();
  });
  expand.addEventListener("click", () => source.expandAll(true));
  collapse.addEventListener("click", () => source.expandAll(false));

  const unFilter = filter.subscribe(update);
  const unFind = source.onFind(update);
  update();

  return {
    el,
    destroy() {
      search.cancel();
      unFilter();
      unFind();
    },
  };
}
