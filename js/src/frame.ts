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

/**
 * A panel's frames: `request()` has `frame` run in a frame of `schedule`, at
 * most one queued however often it is asked; none after `stop()`.
 */
export function frameRequests(schedule: FrameScheduler, frame: () => void): { request(): void; stop(): void } {
  let scheduled = false;
  let stopped = false;
  const run = () => {
    scheduled = false;
    if (!stopped) frame();
  };
  return {
    request() {
      if (scheduled || stopped) return;
      scheduled = true;
      schedule(run);
    },
    stop() {
      stopped = true;
    },
  };
}

/** Milliseconds from a monotonic clock. */
export function now(): number {
  return typeof performance !== "undefined" && typeof performance.now === "function" ? performance.now() : Date.now();
}

/**
 * A scheduler that runs every callback queued before the next frame of
 * `schedule` in that one frame: the panels of a view (timeline, graph,
 * timing) then cost one frame per burst of appends, not one each, and share
 * its budget (panelBudget). A callback that schedules again while the frame
 * runs goes to the following frame.
 */
export function coalesce(schedule: FrameScheduler): FrameScheduler {
  let queue: (() => void)[] = [];
  // Synchronous frames (tests) run each append at once: nothing to share.
  const timed = schedule !== syncScheduler;
  const run = () => {
    const callbacks = queue;
    queue = [];
    const outer = frameStart;
    if (timed) frameStart = now();
    try {
      for (const callback of callbacks) {
        try {
          callback();
        } catch (err) {
          console.error("lgwidget: frame callback failed", err);
        }
      }
    } finally {
      frameStart = outer;
    }
  };
  return (callback) => {
    queue.push(callback);
    if (queue.length === 1) schedule(run);
  };
}

// Per-frame budgets for taking new events (a burst of thousands comes in one
// message). The timeline places events for up to ROUTE_BUDGET_MS, and a frame
// that spends it all leaves building the rows to the next one
// (render/timeline/frames.ts). The side panels then take theirs,
// PANEL_BUDGET_MS each, but only while the frame has spent less than
// FRAME_BUDGET_MS: after the timeline's share of a burst they take one chunk
// and catch up in the quieter frames between bursts. No frame piles every
// panel's work on top of the timeline's, so frames stay well under 50 ms (a
// long task), the first one of a stream too (its code not optimized yet),
// with room for a machine a few times slower.

/** Time the timeline may spend placing new events per frame, ms. */
export const ROUTE_BUDGET_MS = 8;
/** Time a side panel (graph, timing) may spend taking new events per frame, ms. */
export const PANEL_BUDGET_MS = 3;
/** Time the callbacks of one coalesced frame may spend before the side panels take one chunk each, ms. */
export const FRAME_BUDGET_MS = 10;
/** Events a panel takes between two looks at the clock (code not optimized yet takes ~10 µs an event). */
const INGEST_CHUNK = 64;

/** When the coalesced frame running now began (NaN: none is running). */
let frameStart = NaN;

/**
 * A side panel's budget for taking new events now: PANEL_BUDGET_MS, less what
 * the running coalesced frame has spent past FRAME_BUDGET_MS (at or below 0,
 * ingestWithin takes one chunk: a panel always moves on).
 */
export function panelBudget(): number {
  if (Number.isNaN(frameStart)) return PANEL_BUDGET_MS;
  return Math.min(PANEL_BUDGET_MS, FRAME_BUDGET_MS - (now() - frameStart));
}

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
