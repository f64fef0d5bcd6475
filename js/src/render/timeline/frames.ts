// When the timeline's work runs: in frames of the scheduler, at most one
// queued, none nested (work asked for during a frame runs in the next one).
// A frame places the store's new events, then builds and lays out the rows.

import type { FrameScheduler } from "../../frame";

/** A frame's two halves. */
export interface FrameWork {
  /** Place new events for up to `budgetMs`; true when the rows should wait for the next frame. */
  route(budgetMs: number): boolean;
  /** Build, measure and lay out the rows, and update what shows around them. */
  build(): void;
  /** Events are left to place. */
  pending(): boolean;
}

export class FrameLoop {
  private scheduled = false;
  private running = false;
  /** Work was asked for during the frame running now. */
  private again = false;
  private stopped = false;
  /** The last frame spent its routing budget: this one builds the rows. */
  private buildNext = false;

  constructor(
    private readonly scheduler: FrameScheduler,
    /** Routing time per scheduled frame, ms. */
    private readonly budgetMs: number,
    private readonly work: FrameWork,
  ) {}

  /** A frame is running. */
  get busy(): boolean {
    return this.running;
  }

  /** Stopped for good (the timeline was destroyed). */
  get done(): boolean {
    return this.stopped;
  }

  /** Run a frame soon (after this one, when inside one). */
  schedule(): void {
    if (this.stopped) return;
    if (this.running) {
      this.again = true;
      return;
    }
    if (this.scheduled) return;
    this.scheduled = true;
    this.scheduler(this.run);
  }

  /** One frame's work now (a user action), unless inside one. */
  now(): void {
    if (this.running || this.stopped) {
      this.schedule();
      return;
    }
    this.running = true;
    try {
      this.frame(Infinity);
    } finally {
      this.running = false;
    }
  }

  /** The pending work now, every event placed. */
  flush(): void {
    if (this.stopped) return;
    this.running = true;
    try {
      do {
        this.again = false;
        this.frame(Infinity);
      } while (this.work.pending());
    } finally {
      this.running = false;
    }
  }

  stop(): void {
    this.stopped = true;
  }

  private readonly run = (): void => {
    this.scheduled = false;
    if (this.stopped) return;
    this.running = true;
    this.again = false;
    try {
      this.frame(this.budgetMs);
    } catch (err) {
      console.error("lgwidget: timeline frame failed", err);
    } finally {
      this.running = false;
    }
    if (this.again) this.schedule();
  };

  private frame(budgetMs: number): void {
    // A frame that spends the whole routing budget (a burst) leaves the rows
    // to the next frame, which places no events: routing and building take a
    // frame each instead of adding up in one (the first frame of a stream,
    // its code not optimized yet, would be the longest). Under a steady
    // backlog the newest rows still show every other frame.
    if (!this.buildNext && this.work.route(budgetMs)) {
      this.buildNext = true;
      this.schedule();
      return;
    }
    this.buildNext = false;
    this.work.build();
    if (this.work.pending()) this.schedule();
  }
}
