// What the timeline scrolls over: positions [0, count()) over the model's
// top-level rows, or over the rows matching the filter while one is set, each
// with its height: estimated until the row is first measured, then the
// measured one, kept while the row is out of the DOM.

import type { EventFilter } from "../../model/filter";
import type { TimelineModel } from "../../model/rows";
import { Heights } from "./virtual";

/** Height assumed for a row never measured, px (then the average of those measured). */
export const ROW_ESTIMATE = 40;

export class RowList {
  /** Heights by row, of every row. */
  private readonly heights = new Heights();
  /** Heights of the matching rows, in order, while a filter is active (null: the list is every row). */
  private shown: Heights | null = null;
  private measured = new Uint8Array(1024);
  private measuredSum = 0;
  private measuredCount = 0;

  constructor(
    private readonly model: TimelineModel,
    private readonly found: EventFilter,
  ) {}

  /** Heights by list position (the matching rows' while filtered). */
  get geometry(): Heights {
    return this.shown ?? this.heights;
  }

  /** A filter is active: positions are not rows. */
  get filtered(): boolean {
    return this.shown !== null;
  }

  count(): number {
    return this.shown ? this.found.rows.length : this.model.rows.length;
  }

  /** The row at list position `pos`. */
  rowAt(pos: number): number {
    return this.shown ? this.found.rows[pos]! : pos;
  }

  /** List position of `row`; -1 when it is filtered out. */
  posOf(row: number): number {
    return this.shown ? this.found.position(row) : row;
  }

  /** List position for a go-to target row (the nearest shown one if it is filtered out). */
  nearestPos(row: number): number {
    return this.shown ? Math.max(0, this.found.nearest(row)) : row;
  }

  /** Heights for the model's new rows, and the filter's look at the new events; true when matching rows were inserted. */
  take(): boolean {
    while (this.heights.length < this.model.rows.length) {
      if (this.heights.length >= this.measured.length) {
        const grown = new Uint8Array(this.measured.length * 2);
        grown.set(this.measured);
        this.measured = grown;
      }
      this.heights.push(this.measuredCount > 0 ? this.measuredSum / this.measuredCount : ROW_ESTIMATE);
    }
    return this.found.update() === "insert";
  }

  /** Heights for the matching rows appended since the last call. */
  extend(): void {
    const shown = this.shown;
    if (shown) while (shown.length < this.found.rows.length) shown.push(this.heights.get(this.found.rows[shown.length]!));
  }

  /** The matching rows changed other than at the end (or the filter did): rebuild the list's heights. */
  relist(): void {
    this.shown = this.found.active ? new Heights() : null;
    if (this.shown) for (const r of this.found.rows) this.shown.push(this.heights.get(r));
  }

  /** Row `row` measured `height` px (> 0); true when that changed its height. */
  measure(row: number, height: number): boolean {
    const fresh = !this.measured[row];
    if (fresh) {
      this.measured[row] = 1;
      this.measuredSum += height;
      this.measuredCount++;
    }
    const old = this.heights.get(row);
    const changed = fresh ? height !== old : Math.abs(height - old) > 0.01;
    if (changed) {
      this.heights.set(row, height);
      this.shown?.set(this.posOf(row), height);
    }
    return changed;
  }
}
