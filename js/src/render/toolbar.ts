// The find toolbar above the list: a node select and kind toggles (what the
// run showed so far), a text search over the events' data (debounced), the
// "n of N events match" count with a clear button, and expand / collapse
// all. It reads and writes the view's FilterState, so a node picked in the
// graph shows here too.

import { formatCount, h } from "../dom";
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

function button(cls: string, text: string, action: string, title: string): HTMLButtonElement {
  const b = h("button", `lgw-button ${cls}`, text);
  b.type = "button";
  b.dataset.lgwAction = action;
  b.title = title;
  return b;
}

export function createToolbar(filter: FilterState, source: FindSource): Toolbar {
  const el = h("div", "lgw-toolbar");
  el.setAttribute("role", "search");
  el.setAttribute("aria-label", "find events");
  el.hidden = true;

  const node = h("select", "lgw-filter-node");
  node.dataset.lgwFilterNode = "";
  node.setAttribute("aria-label", "show the events of one node");
  const kinds = h("span", "lgw-filter-kinds");
  kinds.setAttribute("role", "group");
  kinds.setAttribute("aria-label", "show events of these kinds");
  const search = h("input", "lgw-search");
  search.type = "search";
  search.placeholder = "search payloads";
  search.dataset.lgwSearch = "";
  search.setAttribute("aria-label", "search the events' data");
  const count = h("span", "lgw-filter-count");
  count.dataset.lgwFilterCount = "";
  count.setAttribute("role", "status");
  const clear = button("lgw-filter-clear", "clear", "clear-filter", "Show every event");
  const expand = button("lgw-expand-all", "expand all", "expand-all", "Open every entry and JSON value");
  const collapse = button("lgw-collapse-all", "collapse all", "collapse-all", "Close every entry and JSON value");
  el.append(node, kinds, search, count, clear, expand, collapse);

  let nodesShown: readonly string[] = [];
  let kindsShown: readonly string[] = [];
  const kindButtons = new Map<string, HTMLButtonElement>();
  let timer: ReturnType<typeof setTimeout> | null = null;

  const renderNodes = (names: readonly string[], f: Filter) => {
    const all = f.node !== null && !names.includes(f.node) ? [...names, f.node] : names;
    if (all.length !== nodesShown.length || all.some((n, i) => n !== nodesShown[i])) {
      nodesShown = all;
      const any = h("option", undefined, "all nodes");
      any.value = "";
      node.replaceChildren(any, ...all.map((name) => Object.assign(h("option", undefined, name), { value: name })));
    }
    node.value = f.node ?? "";
  };

  const renderKinds = (names: readonly string[], f: Filter) => {
    if (names.length !== kindsShown.length) {
      kindsShown = names;
      for (const name of names) {
        if (kindButtons.has(name)) continue;
        const b = h("button", "lgw-chip", name);
        b.type = "button";
        b.dataset.lgwFilterKind = name;
        b.addEventListener("click", () => {
          const next = new Set(filter.get().kinds);
          if (next.has(name)) next.delete(name);
          else next.add(name);
          filter.set({ kinds: next });
        });
        kindButtons.set(name, b);
        kinds.append(b);
      }
    }
    for (const [name, b] of kindButtons) b.setAttribute("aria-pressed", String(f.kinds.has(name)));
  };

  const update = () => {
    const info = source.find();
    const f = filter.get();
    el.hidden = info.total === 0 && !filter.active;
    renderNodes(info.nodes, f);
    renderKinds(info.kinds, f);
    if (timer === null && search.value !== f.text) search.value = f.text;
    count.hidden = !filter.active;
    clear.hidden = !filter.active;
    const text = filter.active ? `${fmt(info.matched)} of ${fmt(info.total)} events match` : "";
    if (count.textContent !== text) count.textContent = text;
    count.dataset.lgwMatched = String(info.matched);
  };

  const runSearch = () => {
    if (timer !== null) clearTimeout(timer);
    timer = null;
    filter.set({ text: search.value });
  };

  node.addEventListener("change", () => filter.set({ node: node.value === "" ? null : node.value }));
  search.addEventListener("input", () => {
    if (timer !== null) clearTimeout(timer);
    timer = setTimeout(runSearch, SEARCH_DEBOUNCE_MS);
  });
  search.addEventListener("keydown", (e) => {
    if (e.key === "Enter") {
      e.preventDefault();
      runSearch();
    } else if (e.key === "Escape" && search.value !== "") {
      // Escape empties the search; JupyterLab keeps Escape when it is empty.
      e.preventDefault();
      e.stopPropagation();
      search.value = "";
      runSearch();
    }
  });
  clear.addEventListener("click", () => {
    if (timer !== null) clearTimeout(timer);
    timer = null;
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
      if (timer !== null) clearTimeout(timer);
      unFilter();
      unFind();
    },
  };
}
