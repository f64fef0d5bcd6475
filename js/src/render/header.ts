// The header: status badge, assistant/run/thread ids, event count, elapsed
// (once ended: total) time, the time to the first event, the Stop button, a
// waiting line before the first event, a notice while reconnecting or once
// cancelled, the Resume / Continue panel while interrupted, and the error.

import { formatElapsed, h } from "../dom";
import type { EventStore } from "../store";
import { LIVE_STATUSES, type Model } from "../types";
import { createActionPanel } from "./interrupt";

const TRAITS = ["status", "assistant_id", "run_id", "thread_id", "url", "count", "error", "started", "elapsed"];

export interface HeaderOptions {
  /** Clock in epoch ms (tests). */
  now?: () => number;
  /** Elapsed-time refresh period while the run is live, ms. */
  tickMs?: number;
}

export interface Header {
  el: HTMLElement;
  update(): void;
  /** Put an element on the header line, before the Stop button. */
  addField(field: HTMLElement): void;
  destroy(): void;
}

/** A line under the header for the statuses that need saying. */
const NOTICES: Record<string, string> = {
  reconnecting: "Connection lost: reconnecting to the run… (events received so far are kept)",
  cancelled: "Cancelled: the run was stopped.",
};

function str(v: unknown): string {
  return typeof v === "string" ? v : v === undefined || v === null ? "" : String(v);
}

function num(v: unknown): number {
  return typeof v === "number" && Number.isFinite(v) ? v : 0;
}

function field(cls: string, label: string): { el: HTMLElement; value: HTMLElement } {
  const el = h("span", `lgw-field ${cls}`);
  const value = h("span", "lgw-id");
  el.append(h("span", "lgw-label", label + " "), value);
  return { el, value };
}

export function createHeader(model: Model, store: EventStore, options: HeaderOptions = {}): Header {
  const now = options.now ?? (() => Date.now());
  const tickMs = options.tickMs ?? 200;

  const el = h("div", "lgw-header");
  const main = h("div", "lgw-header-main");
  const status = h("span", "lgw-status");
  const assistant = field("lgw-assistant", "assistant");
  const run = field("lgw-run", "run");
  const thread = field("lgw-thread", "thread");
  const count = h("span", "lgw-count");
  const elapsed = h("span", "lgw-elapsed");
  const ttfe = h("span", "lgw-ttfe");
  ttfe.title = "time to first event: from the run's start to the arrival of its first event";
  const stop = h("button", "lgw-button lgw-stop", "Stop");
  stop.type = "button";
  stop.dataset.lgwAction = "stop";
  stop.title = "Cancel the run";
  main.append(status, assistant.el, run.el, thread.el, count, elapsed, ttfe, stop);
  const waiting = h("div", "lgw-waiting");
  const notice = h("div", "lgw-status-notice");
  notice.setAttribute("role", "status");
  const actions = createActionPanel(model, store);
  const error = h("div", "lgw-header-error");
  el.append(main, waiting, notice, actions.el, error);

  let timer: ReturnType<typeof setInterval> | null = null;
  let lastStatus = "";

  const elapsedSeconds = (): number | null => {
    const st = str(model.get("status"));
    const started = num(model.get("started"));
    const final = num(model.get("elapsed"));
    if (LIVE_STATUSES.has(st) && started > 0) return Math.max(0, (now() - started) / 1000);
    if (final > 0) return final;
    if (started > 0 && !LIVE_STATUSES.has(st)) return final;
    return null;
  };

  const renderElapsed = () => {
    const secs = elapsedSeconds();
    elapsed.textContent = secs === null ? "" : formatElapsed(secs);
    elapsed.hidden = secs === null;
    // Once the run has ended this is its total time: run start to end.
    const total = secs !== null && !LIVE_STATUSES.has(str(model.get("status")));
    if (total) elapsed.dataset.lgwTotal = secs.toFixed(3);
    else delete elapsed.dataset.lgwTotal;
    elapsed.title = total ? "total time: from the run's start to its end" : "elapsed since the run started";
  };

  const stopTimer = () => {
    if (timer !== null) {
      clearInterval(timer);
      timer = null;
    }
  };

  const update = () => {
    const st = str(model.get("status"));
    const live = LIVE_STATUSES.has(st);
    status.textContent = st || "—";
    status.dataset.status = st;

    for (const [f, key] of [
      [assistant, "assistant_id"],
      [run, "run_id"],
      [thread, "thread_id"],
    ] as const) {
      const v = str(model.get(key));
      f.value.textContent = v;
      f.el.hidden = v === "";
    }
    const url = str(model.get("url"));
    if (url) assistant.el.title = url;
    else assistant.el.removeAttribute("title");

    const n = store.length;
    const kernel = num(model.get("count"));
    count.textContent = kernel > n ? `${n} / ${kernel} events` : `${n} ${n === 1 ? "event" : "events"}`;

    renderElapsed();
    const first = store.get(0)?.t;
    const hasFirst = typeof first === "number" && Number.isFinite(first);
    ttfe.textContent = hasFirst ? `first event +${first.toFixed(2)} s` : "";
    if (hasFirst) ttfe.dataset.lgwTtfe = first.toFixed(3);
    else delete ttfe.dataset.lgwTtfe;
    ttfe.hidden = !hasFirst;
    if (live && num(model.get("started")) > 0) {
      if (timer === null) timer = setInterval(renderElapsed, tickMs);
    } else {
      stopTimer();
    }

    stop.hidden = !live;
    if (st !== lastStatus) {
      stop.disabled = false;
      stop.textContent = "Stop";
      lastStatus = st;
    }

    let wait = "";
    if (n === 0 && live) {
      if (st === "connecting") wait = "connecting…";
      else if (st === "reconnecting") wait = "reconnecting…";
      else wait = kernel > 0 ? `loading ${kernel} events…` : "waiting for the first event…";
    }
    waiting.textContent = wait;
    waiting.hidden = wait === "";

    const note = NOTICES[st] ?? "";
    notice.textContent = note;
    notice.dataset.status = st;
    notice.hidden = note === "" || wait !== "";

    const err = str(model.get("error"));
    error.textContent = err;
    error.hidden = err === "";
  };

  const onStop = () => {
    stop.disabled = true;
    stop.textContent = "Stopping…";
    try {
      model.send({ type: "cancel" });
    } catch (err) {
      console.debug("lgwidget: cannot send cancel", err);
      stop.disabled = false;
      stop.textContent = "Stop";
    }
  };
  stop.addEventListener("click", onStop);

  for (const key of TRAITS) model.on(`change:${key}`, update);
  const unsubscribe = store.subscribe(update);
  update();

  return {
    el,
    update,
    addField: (field) => stop.before(field),
    destroy() {
      stopTimer();
      unsubscribe();
      actions.destroy();
      for (const key of TRAITS) model.off(`change:${key}`, update);
      stop.removeEventListener("click", onStop);
    },
  };
}
