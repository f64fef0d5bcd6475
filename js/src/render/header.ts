// The header: status badge, assistant/run/thread ids, event count, elapsed
// (once ended: total) time, the time to the first event, the Stop button, a
// waiting line before the first event, a notice while reconnecting or once
// cancelled, the Resume / Continue panel while interrupted, and the error.

import { actionButton, formatElapsed, h } from "../dom";
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

/** Elapsed time since the run started (once it ended: its total time), refreshed while it is live. */
class ElapsedTime {
  readonly el = h("span", "lgw-elapsed");
  private timer: ReturnType<typeof setInterval> | null = null;

  constructor(
    private readonly model: Model,
    private readonly now: () => number,
    private readonly tickMs: number,
  ) {}

  /** Show it, and tick while the run is live and has started. */
  update(live: boolean): void {
    this.render();
    if (live && num(this.model.get("started")) > 0) {
      if (this.timer === null) this.timer = setInterval(this.render, this.tickMs);
    } else {
      this.stop();
    }
  }

  stop(): void {
    if (this.timer !== null) {
      clearInterval(this.timer);
      this.timer = null;
    }
  }

  private seconds(): number | null {
    const st = str(this.model.get("status"));
    const started = num(this.model.get("started"));
    const final = num(this.model.get("elapsed"));
    if (LIVE_STATUSES.has(st) && started > 0) return Math.max(0, (this.now() - started) / 1000);
    if (final > 0) return final;
    if (started > 0 && !LIVE_STATUSES.has(st)) return final;
    return null;
  }

  private readonly render = (): void => {
    const el = this.el;
    const secs = this.seconds();
    el.textContent = secs === null ? "" : formatElapsed(secs);
    el.hidden = secs === null;
    // Once the run has ended this is its total time: run start to end.
    const total = secs !== null && !LIVE_STATUSES.has(str(this.model.get("status")));
    if (total) el.dataset.lgwTotal = secs.toFixed(3);
    else delete el.dataset.lgwTotal;
    el.title = total ? "total time: from the run's start to its end" : "elapsed since the run started";
  };
}

/** The Stop button: sends `cancel`, and says "Stopping…" until the status changes. */
class StopButton {
  readonly el = actionButton("lgw-stop", "Stop", "stop", "Cancel the run");
  private lastStatus = "";

  constructor(private readonly model: Model) {
    this.el.addEventListener("click", this.onClick);
  }

  /** Offered while the run is live; a new status makes it a plain Stop again. */
  update(status: string, live: boolean): void {
    this.el.hidden = !live;
    if (status !== this.lastStatus) {
      this.el.disabled = false;
      this.el.textContent = "Stop";
      this.lastStatus = status;
    }
  }

  destroy(): void {
    this.el.removeEventListener("click", this.onClick);
  }

  private readonly onClick = (): void => {
    this.el.disabled = true;
    this.el.textContent = "Stopping…";
    try {
      this.model.send({ type: "cancel" });
    } catch (err) {
      console.debug("lgwidget: cannot send cancel", err);
      this.el.disabled = false;
      this.el.textContent = "Stop";
    }
  };
}

/** The lines under the header's main one: waiting for the first event, the status notice, the error. */
class StatusLines {
  readonly waiting = h("div", "lgw-waiting");
  readonly notice = h("div", "lgw-status-notice");
  readonly error = h("div", "lgw-header-error");

  constructor() {
    this.notice.setAttribute("role", "status");
  }

  /** For status `st`, `n` events held of the `kernel`'s count, and the run's error. */
  update(st: string, live: boolean, n: number, kernel: number, err: string): void {
    let wait = "";
    if (n === 0 && live) {
      if (st === "connecting") wait = "connecting…";
      else if (st === "reconnecting") wait = "reconnecting…";
      else wait = kernel > 0 ? `loading ${kernel} events…` : "waiting for the first event…";
    }
    this.waiting.textContent = wait;
    this.waiting.hidden = wait === "";
    const note = NOTICES[st] ?? "";
    this.notice.textContent = note;
    this.notice.dataset.status = st;
    this.notice.hidden = note === "" || wait !== "";
    this.error.textContent = err;
    this.error.hidden = err === "";
  }
}

/** The time to the first event (`t` of event 0), hidden until there is one. */
function showFirstEvent(ttfe: HTMLElement, first: number | undefined): void {
  const has = typeof first === "number" && Number.isFinite(first);
  ttfe.textContent = has ? `first event +${first.toFixed(2)} s` : "";
  if (has) ttfe.dataset.lgwTtfe = first.toFixed(3);
  else delete ttfe.dataset.lgwTtfe;
  ttfe.hidden = !has;
}

export function createHeader(model: Model, store: EventStore, options: HeaderOptions = {}): Header {
  const el = h("div", "lgw-header");
  const main = h("div", "lgw-header-main");
  const status = h("span", "lgw-status");
  const assistant = field("lgw-assistant", "assistant");
  const run = field("lgw-run", "run");
  const thread = field("lgw-thread", "thread");
  const count = h("span", "lgw-count");
  const elapsed = new ElapsedTime(model, options.now ?? (() => Date.now()), options.tickMs ?? 200);
  const ttfe = h("span", "lgw-ttfe");
  ttfe.title = "time to first event: from the run's start to the arrival of its first event";
  const stop = new StopButton(model);
  main.append(status, assistant.el, run.el, thread.el, count, elapsed.el, ttfe, stop.el);
  const lines = new StatusLines();
  const actions = createActionPanel(model, store);
  el.append(main, lines.waiting, lines.notice, actions.el, lines.error);

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
    elapsed.update(live);
    showFirstEvent(ttfe, store.get(0)?.t);
    stop.update(st, live);
    lines.update(st, live, n, kernel, str(model.get("error")));
  };

  for (const key of TRAITS) model.on(`change:${key}`, update);
  const unsubscribe = store.subscribe(update);
  update();

  return {
    el,
    update,
    addField: (field) => stop.el.before(field),
    destroy() {
      elapsed.stop();
      unsubscribe();
      actions.destroy();
      for (const key of TRAITS) model.off(`change:${key}`, update);
      stop.destroy();
    },
  };
}
