// What the timeline shows around its list: the state panel above it, the
// nav under it (go to #, the row count, jump to latest), the note when the
// saved snapshot left events out, and the run's token usage (which the view
// puts in the header). `input[data-lgw-goto]` goes to an event seq;
// `button[data-lgw-action="latest"]` follows the run again.

import { actionButton, formatCount, h } from "../../dom";
import type { TimelineModel } from "../../model/rows";
import type { EventStore } from "../../store";
import type { SnapshotInfo } from "../../transport";
import { StatePanel } from "../values";

/** What the chrome's controls do, and what it reads from the list. */
export interface ChromeActions {
  following(): boolean;
  /** Follow the newest events again. */
  latest(): void;
  /** Go to event `seq`; false when there is no event to go to. */
  goto(seq: number): boolean;
}

export class TimelineChrome {
  readonly nav = h("div", "lgw-nav");
  readonly footer = h("div", "lgw-snapshot-note lgw-note");
  readonly usage = h("span", "lgw-run-usage");
  readonly state = new StatePanel();
  private readonly gotoInput = h("input", "lgw-goto-input");
  private readonly position = h("span", "lgw-nav-position");
  private readonly latest = actionButton("lgw-latest", "↓ latest", "latest", "Jump to the newest event and follow the run");
  private readonly listeners = new Set<() => void>();
  private usageVersion = 0;
  private rootVersion = 0;
  private snapshot: SnapshotInfo | null = null;
  private lastGoto = "";

  constructor(
    private readonly store: EventStore,
    private readonly model: TimelineModel,
    /** The list, whose `data-lgw-follow` says whether it follows. */
    private readonly list: HTMLElement,
    private readonly actions: ChromeActions,
  ) {
    const input = this.gotoInput;
    input.type = "number";
    input.min = "0";
    input.step = "1";
    input.placeholder = "seq";
    input.dataset.lgwGoto = "";
    input.setAttribute("aria-label", "go to event number");
    const gotoWrap = h("label", "lgw-goto");
    gotoWrap.append(h("span", "lgw-label", "go to #"), input);
    const latest = this.latest;
    latest.hidden = true;
    this.nav.append(gotoWrap, this.position, latest);
    this.nav.hidden = true;
    this.footer.hidden = true;
    this.usage.hidden = true;
    latest.addEventListener("click", () => actions.latest());
    input.addEventListener("keydown", (e) => {
      if (e.key === "Enter") {
        e.preventDefault();
        this.onGoto(true);
      }
    });
    input.addEventListener("change", () => this.onGoto(false));
  }

  /** Call `fn` after each update (what the list found may have changed). Returns the unsubscribe. */
  onUpdate(fn: () => void): () => void {
    this.listeners.add(fn);
    return () => this.listeners.delete(fn);
  }

  setSnapshotInfo(info: SnapshotInfo): void {
    this.snapshot = info;
    this.update();
  }

  /** Show what changed: events, rows, following, usage. */
  update(): void {
    this.updateUsage();
    for (const fn of [...this.listeners]) fn();
    const follow = this.actions.following();
    const n = this.store.length;
    this.list.dataset.lgwFollow = String(follow);
    this.latest.hidden = follow;
    this.nav.hidden = n === 0;
    this.gotoInput.max = String(Math.max(0, n - 1));
    const rows = this.model.rows.length;
    this.position.textContent = rows > 0 ? `${formatCount(rows)} rows` : "";
    const snapshot = this.snapshot;
    const omitted = snapshot && snapshot.omitted > 0 && n <= snapshot.end ? snapshot.omitted : 0;
    this.footer.hidden = omitted === 0;
    if (omitted) {
      this.footer.dataset.lgwOmitted = String(omitted);
      this.footer.textContent = `${formatCount(omitted)} more event${omitted === 1 ? " was" : "s were"} not saved in the notebook (the kernel holds them all)`;
    }
  }

  /** The state panel shows the run's latest root state. */
  syncState(): void {
    const root = this.model.rootState();
    if (root.version !== this.rootVersion && root.state) {
      this.rootVersion = root.version;
      this.state.update(root.state.state, root.state.count, root.state.t);
    }
  }

  destroy(): void {
    this.listeners.clear();
  }

  private updateUsage(): void {
    const messages = this.model.messages;
    if (messages.version === this.usageVersion) return;
    this.usageVersion = messages.version;
    const u = messages.usage();
    this.usage.hidden = u === null;
    if (!u) return;
    this.usage.dataset.lgwUsageTotal = String(u.total);
    this.usage.textContent = `${formatCount(u.total)} tokens`;
    this.usage.title = `token usage of the run: ${formatCount(u.input)} in, ${formatCount(u.output)} out`;
  }

  /** Go to the typed seq (Enter: again, even if unchanged). */
  private onGoto(force: boolean): void {
    const text = this.gotoInput.value.trim();
    if (text === "" || (!force && text === this.lastGoto)) return;
    this.lastGoto = text;
    if (this.actions.goto(Number(text))) this.gotoInput.removeAttribute("aria-invalid");
    else this.gotoInput.setAttribute("aria-invalid", "true");
  }
}
