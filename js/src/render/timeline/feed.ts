// Placing the store's new events: the model (model/rows.ts) takes them in
// arrival order, and the list's heights and the filter keep up, within a
// time budget, so a burst of thousands spreads over frames.

import { now } from "../../frame";
import type { TimelineModel } from "../../model/rows";
import type { EventStore } from "../../store";
import type { RowList } from "./list";
import type { RowWindow } from "./window";

export class Feed {
  /** The last route() rebuilt the list (matching rows were inserted, not appended). */
  private relisted = false;

  constructor(
    private readonly store: EventStore,
    private readonly model: TimelineModel,
    private readonly rows: RowList,
    private readonly win: RowWindow,
  ) {}

  /** Events of the store not placed yet. */
  get pending(): boolean {
    return this.model.length < this.store.length;
  }

  /**
   * A frame's routing: true when the budget ran out before the events and
   * the DOM window is intact, so the rows can wait for the next frame (an
   * emptied window is rebuilt at once: the list never shows empty).
   */
  step(budgetMs: number): boolean {
    this.relisted = false;
    return this.route(budgetMs) && !this.relisted;
  }

  /** Place the store's new events (up to seq `upTo`), up to the time budget. True when the budget ran out before them. */
  route(budgetMs: number, upTo = this.store.length): boolean {
    const { model, rows } = this;
    const deadline = budgetMs === Infinity ? Infinity : now() + budgetMs;
    let n = 0;
    let spent = false;
    let inserted = false;
    while (model.length < upTo) {
      const ev = this.store.get(model.length);
      if (!ev) break;
      model.ingest(ev);
      // The rows' heights and the filter keep up as they go: the clock
      // counts their share of the events too.
      if ((++n & 15) === 0) {
        inserted = rows.take() || inserted;
        if (now() > deadline) {
          spent = model.length < upTo;
          break;
        }
      }
    }
    inserted = rows.take() || inserted;
    if (inserted) this.relist();
    else rows.extend();
    return spent;
  }

  /** The matching rows changed other than at the end (or the filter did): rebuild the list's heights and DOM window. */
  relist(): void {
    this.relisted = true;
    this.win.clear();
    this.rows.relist();
  }
}
