// `tasks`, `checkpoints` and `debug` events as compact rows that expand.
// A task is one row from its start to its result: running…, then its
// duration, or its error; the details (input, result) are built on expand.
// Checkpoints are step markers with the checkpoint id.

import { clippedText, h } from "../dom";
import { jsonView } from "../json-view";
import { errorText, taskDuration, type CheckpointInfo, type TaskState } from "../model/tasks";
import type { EventRecord } from "../types";
import { appendAll, collapsibleEntry, entryShell, eventLabel, nodeLabel, nsLabel, timeLabel } from "./common";

export function formatDuration(seconds: number): string {
  const ms = seconds * 1000;
  if (ms < 999.5) return ms < 9.95 ? `${ms.toFixed(1)} ms` : `${ms.toFixed(0)} ms`;
  if (seconds < 60) return `${seconds.toFixed(2)} s`;
  return `${Math.floor(seconds / 60)} min ${String(Math.round(seconds % 60)).padStart(2, "0")} s`;
}

const STATUS_TEXT: Record<string, string> = {
  running: "running…",
  done: "done",
  error: "error",
  interrupted: "interrupted",
};

export class TaskRow {
  readonly entry: HTMLElement;
  private readonly badge: HTMLElement;
  private readonly duration: HTMLElement;
  private readonly error: HTMLElement;
  private readonly details: HTMLElement;
  private task: TaskState;
  private built = false;

  /** `kind`: the mode shown ("tasks" or "debug"). */
  constructor(ev: EventRecord, task: TaskState, kind: string) {
    this.task = task;
    const { entry, head, body } = entryShell(ev, kind);
    entry.classList.add("lgw-task", "lgw-compact");
    entry.dataset.lgwNode = task.name;
    entry.dataset.lgwTask = task.id;
    this.badge = h("span", "lgw-task-status");
    this.duration = h("span", "lgw-task-duration");
    const step = task.step !== null ? h("span", "lgw-step", `step ${task.step}`) : null;
    appendAll(head, nsLabel(ev.ns), h("span", "lgw-task-label", "task"), nodeLabel(task.name), this.badge, this.duration, step, timeLabel(ev.t));
    this.error = h("div", "lgw-task-error");
    this.details = h("div", "lgw-task-details");
    body.append(this.details);
    entry.insertBefore(this.error, body);
    collapsibleEntry(entry, head, body, () => this.build());
    this.entry = entry;
    this.update(task);
  }

  update(task: TaskState): void {
    this.task = task;
    const e = this.entry;
    e.dataset.lgwTaskState = task.status;
    if (task.endSeq !== null) e.dataset.lgwSeqEnd = String(task.endSeq);
    this.badge.textContent = STATUS_TEXT[task.status] ?? task.status;
    this.badge.dataset.status = task.status;
    const d = taskDuration(task);
    this.duration.textContent = d !== null ? formatDuration(d) : "";
    this.duration.hidden = d === null;
    const err = errorText(task.error);
    this.error.replaceChildren();
    if (err) this.error.append(clippedText(err, "lgw-text"));
    this.error.hidden = err === "";
    if (this.built) this.fillDetails();
  }

  private build(): void {
    this.built = true;
    this.fillDetails();
  }

  private fillDetails(): void {
    const t = this.task;
    const parts: HTMLElement[] = [];
    const section = (label: string, value: unknown) => {
      const s = h("div", "lgw-task-section");
      s.append(h("div", "lgw-label", label), jsonView(value, { expandDepth: 1, bare: true }));
      parts.push(s);
    };
    const ids = h("div", "lgw-task-ids");
    ids.append(h("span", "lgw-label", "id "), h("span", "lgw-id", t.id));
    if (t.triggers.length) ids.append(h("span", "lgw-label", "  triggers "), h("span", "lgw-id", t.triggers.join(", ")));
    parts.push(ids);
    if (t.input !== undefined) section("input", t.input);
    if (t.result !== undefined) section("result", t.result);
    if (t.error !== null && t.error !== undefined) section("error", t.error);
    if (t.interrupts.length) section("interrupts", t.interrupts);
    this.details.replaceChildren(...parts);
  }
}

/** A checkpoint: "step 2 · checkpoint <id> · next tools"; values and tasks on expand. */
export function renderCheckpoint(ev: EventRecord, info: CheckpointInfo, kind: string, raw: unknown): HTMLElement {
  const { entry, head, body } = entryShell(ev, kind);
  entry.classList.add("lgw-checkpoint", "lgw-compact", "lgw-step-marker");
  if (info.id) entry.dataset.lgwCheckpoint = info.id;
  const step = h("span", "lgw-step-mark", info.step !== null ? `step ${info.step}` : "step ?");
  const id = h("span", "lgw-checkpoint-id");
  id.append(h("span", "lgw-label", "checkpoint "), h("span", "lgw-id", info.id ?? "?"));
  const next = h("span", "lgw-checkpoint-next");
  if (info.next.length) {
    next.append(h("span", "lgw-label", "next "));
    info.next.forEach((n, i) => {
      if (i > 0) next.append(", ");
      next.append(nodeLabel(n));
    });
  } else {
    next.append(h("span", "lgw-label", "end"));
  }
  const source = info.source ? h("span", "lgw-checkpoint-source", info.source) : null;
  const errors = info.tasks.filter((t) => t.error !== null && t.error !== undefined).length;
  const interrupts = info.tasks.reduce((n, t) => n + t.interrupts, 0);
  const flags = h("span", "lgw-checkpoint-flags");
  if (errors) flags.append(h("span", "lgw-task-status", `${errors} failed`));
  if (interrupts) flags.append(h("span", "lgw-task-status", `${interrupts} interrupted`));
  appendAll(head, nsLabel(ev.ns), step, id, next, source, flags.childElementCount ? flags : null, eventLabel(kind), timeLabel(ev.t));
  collapsibleEntry(entry, head, body, () => {
    const values = h("div", "lgw-task-section");
    values.append(h("div", "lgw-label", "values"), jsonView(info.values, { expandDepth: 1, bare: true }));
    const all = h("div", "lgw-task-section");
    all.append(h("div", "lgw-label", "checkpoint"), jsonView(raw, { expandDepth: 0, bare: true }));
    body.append(values, all);
  });
  return entry;
}

/** Any other event as a compact row that expands to its JSON. */
export function renderCompact(ev: EventRecord, kind: string, label: string): HTMLElement {
  const { entry, head, body } = entryShell(ev, kind);
  entry.classList.add("lgw-compact");
  appendAll(head, nsLabel(ev.ns), eventLabel(ev.event), h("span", "lgw-compact-label", label), timeLabel(ev.t));
  collapsibleEntry(entry, head, body, () => body.append(jsonView(ev.data, { expandDepth: 1, bare: true })));
  return entry;
}
