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
