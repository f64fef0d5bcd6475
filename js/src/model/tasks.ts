// Tasks and checkpoints (DOM-free): pairs each task's start with its result
// (the `tasks` mode, and the task / task_result events of `debug`), with the
// duration and the error; reads the step and checkpoint id of checkpoints.

import { isPlainObject as isObj, stringify } from "../json";
import type { EventRecord } from "../types";
import { nsKey } from "./ns";

export type TaskStatus = "running" | "done" | "error" | "interrupted";

export interface TaskState {
  id: string;
  name: string;
  ns: string[];
  status: TaskStatus;
  startSeq: number | null;
  endSeq: number | null;
  /** Record times (seconds since the run started). */
  startT: number | null;
  endT: number | null;
  /** Server timestamps (epoch ms), from debug events. */
  startTs: number | null;
  endTs: number | null;
  step: number | null;
  triggers: string[];
  input: unknown;
  result: unknown;
  error: unknown;
  interrupts: unknown[];
}

export interface TaskChange {
  task: TaskState;
  /** The event started the task (else it finished it). */
  started: boolean;
  /** The task was already known (its row exists). */
  known: boolean;
}

function finite(v: unknown): number | null {
  return typeof v === "number" && Number.isFinite(v) ? v : null;
}

/**
 * An ISO timestamp in epoch ms, keeping the microseconds the server sends
 * ("2026-11-24T21:20:49.972472+00:00"; Date.parse alone stops at ms).
 */
export function parseTimestamp(value: unknown): number {
  if (typeof value !== "string") return NaN;
  const m = /^(.+T\d{2}:\d{2}:\d{2})(\.\d+)?(Z|[+-]\d{2}:?\d{2})?$/.exec(value.trim());
  if (!m) return Date.parse(value);
  const base = Date.parse(m[1]! + (m[3] ?? "Z"));
  return base + (m[2] ? Number("0" + m[2]) * 1000 : 0);
}

/** Seconds the task ran: server timestamps when both are known, else arrival times. */
export function taskDuration(task: TaskState): number | null {
  if (task.startTs !== null && task.endTs !== null) return Math.max(0, (task.endTs - task.startTs) / 1000);
  if (task.startT !== null && task.endT !== null) return Math.max(0, task.endT - task.startT);
  return null;
}

/** A task error as "Name: message" text. */
export function errorText(error: unknown): string {
  if (error === null || error === undefined) return "";
  if (typeof error === "string") return error;
  if (isObj(error)) {
    const name = typeof error.error === "string" ? error.error : typeof error.type === "string" ? error.type : "";
    const message = typeof error.message === "string" ? error.message : "";
    if (name || message) return name && message ? `${name}: ${message}` : name || message;
  }
  return stringify(error);
}

/** Is this payload a task start (`input`/`triggers`) rather than a result? */
export function isTaskStart(p: Record<string, unknown>): boolean {
  return !("result" in p) && !("error" in p) && ("input" in p || "triggers" in p);
}

export class TaskTracker {
  private readonly tasks = new Map<string, TaskState>();
  /** Running tasks per namespace, in start order. */
  private readonly running = new Map<string, TaskState[]>();

  get(ns: readonly string[], id: string): TaskState | undefined {
    return this.tasks.get(`${nsKey(ns)}\u0000${id}`);
  }

  /**
   * Take a task payload (`{id, name, input, triggers}` or `{id, name, result,
   * error, interrupts}`). `timestamp` is the debug event's ISO time. Null when
   * the payload is not a task.
   */
  ingest(ev: EventRecord, payload: unknown, extra: { timestamp?: unknown; step?: unknown } = {}): TaskChange | null {
    if (!isObj(payload) || typeof payload.id !== "string" || typeof payload.name !== "string") return null;
    const key = `${nsKey(ev.ns)}\u0000${payload.id}`;
    const ts = parseTimestamp(extra.timestamp);
    const t = finite(ev.t);
    let task = this.tasks.get(key);
    const known = task !== undefined;
    if (!task) {
      task = {
        id: payload.id,
        name: payload.name,
        ns: [...ev.ns],
        status: "running",
        startSeq: null,
        endSeq: null,
        startT: null,
        endT: null,
        startTs: null,
        endTs: null,
        step: null,
        triggers: [],
        input: undefined,
        result: undefined,
        error: null,
        interrupts: [],
      };
      this.tasks.set(key, task);
    }
    const step = finite(extra.step);
    if (step !== null) task.step = step;
    const started = isTaskStart(payload);
    if (started) {
      task.startSeq = ev.seq;
      task.startT = t;
      // tasks and debug both report a task: a later event without a timestamp keeps it.
      if (Number.isFinite(ts)) task.startTs = ts;
      task.input = payload.input;
      task.triggers = Array.isArray(payload.triggers) ? payload.triggers.map(String) : [];
      task.status = "running";
      const list = this.running.get(nsKey(ev.ns)) ?? [];
      if (!list.includes(task)) list.push(task); // tasks and debug both start it
      this.running.set(nsKey(ev.ns), list);
    } else {
      task.endSeq = ev.seq;
      task.endT = t;
      if (Number.isFinite(ts)) task.endTs = ts;
      task.result = payload.result;
      task.error = payload.error ?? null;
      task.interrupts = Array.isArray(payload.interrupts) ? payload.interrupts : [];
      task.status =
        task.error !== null && task.error !== undefined && task.error !== ""
          ? "error"
          : task.interrupts.length > 0
            ? "interrupted"
            : "done";
      const list = this.running.get(nsKey(ev.ns));
      if (list) {
        const i = list.indexOf(task);
        if (i >= 0) list.splice(i, 1);
      }
    }
    return { task, started, known };
  }

  /** The most recently started task of namespace `ns` that is still running. */
  current(ns: readonly string[]): TaskState | null {
    const list = this.running.get(nsKey(ns));
    return list && list.length > 0 ? list[list.length - 1]! : null;
  }
}

export interface CheckpointInfo {
  id: string | null;
  parentId: string | null;
  step: number | null;
  source: string | null;
  next: string[];
  /** The checkpoint's pending tasks: name, and error / interrupts when set. */
  tasks: Array<{ name: string; error: unknown; interrupts: number }>;
  values: unknown;
}

function configId(config: unknown): string | null {
  if (!isObj(config)) return null;
  const c = isObj(config.configurable) ? config.configurable : config;
  return typeof c.checkpoint_id === "string" ? c.checkpoint_id : null;
}

/** The parts of a `checkpoints` event (or a debug checkpoint payload) worth a row. */
export function checkpointInfo(data: unknown): CheckpointInfo | null {
  if (!isObj(data)) return null;
  if (!("config" in data) && !("checkpoint" in data) && !("next" in data)) return null;
  const meta = isObj(data.metadata) ? data.metadata : {};
  const checkpoint = isObj(data.checkpoint) ? data.checkpoint : {};
  return {
    id: configId(data.config) ?? (typeof checkpoint.checkpoint_id === "string" ? checkpoint.checkpoint_id : null),
    parentId: configId(data.parent_config),
    step: finite(meta.step),
    source: typeof meta.source === "string" ? meta.source : null,
    next: Array.isArray(data.next) ? data.next.map(String) : [],
    tasks: Array.isArray(data.tasks)
      ? data.tasks.filter(isObj).map((t) => ({
          name: typeof t.name === "string" ? t.name : "?",
          error: t.error ?? null,
          interrupts: Array.isArray(t.interrupts) ? t.interrupts.length : 0,
        }))
      : [],
    values: data.values,
  };
}
