// When DOM work runs: once per animation frame, coalescing every store
// append since the last frame. Tests swap in a synchronous scheduler (see
// test/setup.ts) or drive frames by hand.

export type FrameScheduler = (callback: () => void) => void;

/** requestAnimationFrame, or a 16 ms timer where there is none. */
export const animationFrame: FrameScheduler = (callback) => {
  if (typeof requestAnimationFrame === "function") requestAnimationFrame(() => callback());
  else setTimeout(callback, 16);
};

/** Runs the callback at once (tests). */
export const syncScheduler: FrameScheduler = (callback) => callback();

let current: FrameScheduler = animationFrame;

/** The scheduler new timelines use unless given one. */
export function defaultScheduler(): FrameScheduler {
  return current;
}

/** Change the default scheduler (null: back to animation frames). */
export function setDefaultScheduler(scheduler: FrameScheduler | null): void {
  current = scheduler ?? animationFrame;
}

/** Milliseconds from a monotonic clock. */
export function now(): number {
  return typeof performance !== "undefined" && typeof performance.now === "function" ? performance.now() : Date.now();
}

/**
 * A scheduler that runs every callback queued before the next frame of
 * `schedule` in that one frame: the panels of a view (timeline, graph,
 * timing) then cost one frame per burst of appends, not one each. A callback
 * that schedules again while the frame runs goes to the following frame.
 */
export function coalesce(schedule: FrameScheduler): FrameScheduler {
  let queue: (() => void)[] = [];
  const run = () => {
    const callbacks = queue;
    queue = [];
    for (const callback of callbacks) {
      try {
        callback();
      } catch (err) {
        console.error("lgwidget: frame callback failed", err);
      }
    }
  };
  return (callback) => {
    queue.push(callback);
    if (queue.length === 1) schedule(run);
  };
}

/** Time a side panel (graph, timing) may spend taking new events per frame, ms. */
export const PANEL_BUDGET_MS = 4;
/** Events a panel takes between two looks at the clock. */
const INGEST_CHUNK = 256;

/**
 * Feed events [from, to) to `take` in chunks until `budgetMs` is spent;
 * returns where it stopped. A panel that gets 50,000 events in one burst
 * spreads them over frames instead of holding one frame (a long task).
 */
export function ingestWithin(budgetMs: number, from: number, to: number, take: (start: number, end: number) => void): number {
  const until = now() + budgetMs;
  let at = from;
  while (at < to) {
    const end = Math.min(to, at + INGEST_CHUNK);
    take(at, end);
    at = end;
    if (now() >= until) break;
  }
  return at;
}
