// The timing panel above the timeline (`[data-lgw-waterfall]`): a collapsed
// line with the number of spans and where their times come from; open, a
// waterfall strip (one bar per task on the run's time axis, overlapping tasks
// in separate lanes, subgraph groups indented under their parent graph) and a
// per-node table (calls, total, max). The model (model/timing.ts) takes the
// store's new events once per frame; the strip and table are built only
// while open, at most once per frame, and draw the last MAX_BARS spans.

import { formatCount, h } from "../dom";
import { defaultScheduler, frameRequests, ingestWithin, panelBudget, type FrameScheduler } from "../frame";
import { GROUP_SEP as SEP, SOURCE_TEXT, TimingModel, type Span } from "../model/timing";
import type { EventStore } from "../store";
import { collapsible } from "./common";
import { formatDuration } from "./tasks";

/** Bars drawn at most: the newest spans (the rest is counted in the caption). */
export const MAX_BARS = 300;
/** Rows of the per-node table at most (by total time). */
export const MAX_NODES = 100;

export interface WaterfallOptions {
  /** When frames run; the default scheduler when undefined. */
  schedule?: FrameScheduler | undefined;
  /** Called with a bar's event seq when it is clicked (the timeline's go-to). */
  goto?: (seq: number) => unknown;
}

export interface Waterfall {
  el: HTMLElement;
  readonly model: TimingModel;
  readonly isOpen: boolean;
  setOpen(open: boolean): void;
  destroy(): void;
}

function plural(n: number, one: string): string {
  return `${formatCount(n)} ${n === 1 ? one : one + "s"}`;
}

/** Groups ("" root, "team", "team › research") in tree order: each after its parent path, siblings in the order given. */
export function treeOrder(groups: readonly string[]): string[] {
  const rank = new Map<string, number>();
  const paths = groups.map((g) => (g === "" ? [] : g.split(SEP)));
  for (const p of paths) {
    for (let i = 1; i <= p.length; i++) {
      const k = p.slice(0, i).join(SEP);
      if (!rank.has(k)) rank.set(k, rank.size);
    }
  }
  const keyOf = (p: string[]) => p.map((_, i) => rank.get(p.slice(0, i + 1).join(SEP))!);
  const keyed = paths.map((p, i) => ({ group: groups[i]!, key: keyOf(p) }));
  keyed.sort((a, b) => {
    for (let i = 0; i < Math.min(a.key.length, b.key.length); i++) if (a.key[i] !== b.key[i]) return a.key[i]! - b.key[i]!;
    return a.key.length - b.key.length;
  });
  return keyed.map((k) => k.group);
}

export function createWaterfall(store: EventStore, options: WaterfallOptions = {}): Waterfall {
  const model = new TimingModel();
  const el = h("div", "lgw-waterfall");
  el.dataset.lgwWaterfall = "";
  el.hidden = true;
  const toggle = h("button", "lgw-panel-toggle lgw-waterfall-toggle");
  toggle.type = "button";
  const summary = h("span", "lgw-panel-summary lgw-waterfall-summary");
  toggle.append(h("span", "lgw-json-arrow", "▸"), h("span", "lgw-panel-title", "timing"), summary);
  const content = h("div", "lgw-waterfall-content");
  el.append(toggle, content);

  const onBar = (e: Event) => {
    const bar = (e.target as Element | null)?.closest<HTMLElement>("[data-lgw-span]");
    if (bar?.dataset.seq) options.goto?.(Number(bar.dataset.seq));
  };
  content.addEventListener("click", onBar);

  const frames = frameRequests(options.schedule ?? defaultScheduler(), () => {
    ingestWithin(panelBudget(), model.seen, store.length, (start, end) => model.ingest(store.slice(start, end)));
    if (model.seen < store.length) frames.request(); // the rest next frame
    const set = model.active;
    const spans = set.spans;
    el.hidden = spans.length === 0;
    if (spans.length === 0) return;
    const source = spans[spans.length - 1]!.source;
    el.dataset.lgwSource = source;
    summary.textContent = ` · ${plural(spans.length, set === model.arrival ? "node run" : "task")} · ${SOURCE_TEXT[source]}`;
    if (view.open) content.replaceChildren(...drawing(spans, model));
  });

  const view = collapsible(el, toggle, content, {
    onChange: (on) => {
      if (on) frames.request();
    },
  });
  const unsubscribe = store.subscribe(frames.request);
  frames.request();

  return {
    el,
    model,
    get isOpen() {
      return view.open;
    },
    setOpen: view.set,
    destroy() {
      frames.stop();
      unsubscribe();
      content.removeEventListener("click", onBar);
    },
  };
}

/** The open panel's content for spans `all`: caption, strip (the last MAX_BARS), time axis, per-node table. */
function drawing(all: readonly Span[], model: TimingModel): HTMLElement[] {
  const spans = all.length > MAX_BARS ? all.slice(-MAX_BARS) : all;
  let t0 = Infinity;
  let t1 = model.last;
  for (const s of spans) {
    t0 = Math.min(t0, s.start);
    t1 = Math.max(t1, s.end ?? s.start);
  }
  const width = Math.max(t1 - t0, 1e-6);
  const pct = (t: number) => `${(((t - t0) / width) * 100).toFixed(3)}%`;
  const axis = h("div", "lgw-waterfall-axis");
  axis.append(h("span", "", `+${t0.toFixed(2)} s`), h("span", "", `+${t1.toFixed(2)} s`));
  const caption = h("div", "lgw-waterfall-caption lgw-note");
  const parts = [SOURCE_TEXT[spans[spans.length - 1]!.source]];
  if (all.length > spans.length) parts.push(`showing the last ${plural(spans.length, "span")} of ${formatCount(all.length)}`);
  caption.textContent = parts.join(" · ");
  return [caption, strip(spans, pct, model.last), axis, table(model)];
}

/** One row per (group, lane) in use, groups in tree order, subgroups indented. */
function strip(spans: readonly Span[], pct: (t: number) => string, now: number): HTMLElement {
  const lanes = new Map<string, Map<number, Span[]>>();
  for (const s of spans) {
    let byLane = lanes.get(s.group);
    if (!byLane) lanes.set(s.group, (byLane = new Map()));
    const list = byLane.get(s.lane) ?? [];
    list.push(s);
    byLane.set(s.lane, list);
  }
  const el = h("div", "lgw-waterfall-strip");
  for (const group of treeOrder([...lanes.keys()])) {
    const byLane = lanes.get(group)!;
    const depth = group === "" ? 0 : group.split(SEP).length;
    [...byLane.keys()]
      .sort((a, b) => a - b)
      .forEach((lane, i) => {
        const row = h("div", "lgw-waterfall-row");
        row.dataset.lgwGroup = group;
        row.dataset.lgwDepth = String(Math.min(depth, 4));
        const label = h("span", "lgw-waterfall-label", i === 0 ? (group === "" ? "graph" : group.split(SEP).pop()!) : "");
        label.style.paddingLeft = `${depth * 0.8}em`;
        if (i === 0 && group) label.title = group;
        const track = h("div", "lgw-waterfall-track");
        for (const s of byLane.get(lane)!) track.append(bar(s, pct, now));
        row.append(label, track);
        el.append(row);
      });
  }
  return el;
}

function bar(s: Span, pct: (t: number) => string, now: number): HTMLElement {
  const end = s.end ?? Math.max(now, s.start);
  const b = h("button", "lgw-waterfall-bar", s.node);
  b.type = "button";
  b.dataset.lgwSpan = s.node;
  b.dataset.seq = String(s.seq);
  b.dataset.status = s.status;
  b.dataset.lgwSource = s.source;
  b.style.left = pct(s.start);
  b.style.width = `calc(${pct(end)} - ${pct(s.start)})`;
  const d = s.end === null ? `running for ${formatDuration(end - s.start)}` : formatDuration(s.end - s.start);
  const step = s.step !== null ? ` · step ${s.step}` : "";
  b.title = `${s.group ? s.group + SEP : ""}${s.node} · ${d}${step} · ${SOURCE_TEXT[s.source]} · event #${s.seq}`;
  return b;
}

function table(model: TimingModel): HTMLElement {
  const stats = model.active.nodeStats().sort((a, b) => b.total - a.total);
  const t = h("table", "lgw-waterfall-table");
  const head = h("tr");
  for (const label of ["node", "calls", "total", "max"]) head.append(h("th", "", label));
  t.append(head);
  for (const s of stats.slice(0, MAX_NODES)) {
    const tr = h("tr");
    tr.dataset.lgwNodeStats = s.label;
    tr.append(h("td", "", s.label), h("td", "", String(s.calls)), h("td", "", formatDuration(s.total)), h("td", "", formatDuration(s.max)));
    t.append(tr);
  }
  const wrap = h("div", "lgw-waterfall-nodes");
  wrap.append(t);
  if (stats.length > MAX_NODES) wrap.append(h("div", "lgw-note", `${stats.length - MAX_NODES} more nodes not listed`));
  return wrap;
}
