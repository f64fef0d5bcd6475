// Pieces of the virtualized list: row heights with fast offsets (a Fenwick
// tree: set a height, the offset of a row and the row at an offset in
// O(log n)), and the viewport: where the list reads its size and scroll
// position and measures rows. The DOM viewport reads the scroller; tests pass
// their own (jsdom has no layout).

export class Heights {
  private tree = new Float64Array(1024);
  private values = new Float64Array(1024);
  private n = 0;
  private sum = 0;

  get length(): number {
    return this.n;
  }

  /** Sum of all heights. */
  get total(): number {
    return this.sum;
  }

  /** Add a row of height `h`. */
  push(h: number): void {
    if (this.n + 1 >= this.tree.length) this.grow();
    const i = this.n++;
    this.values[i] = 0;
    this.add(i, h);
  }

  get(i: number): number {
    return this.values[i] ?? 0;
  }

  set(i: number, h: number): void {
    if (i < 0 || i >= this.n) return;
    this.add(i, h - this.values[i]!);
  }

  /** Sum of the heights of rows [0, i). */
  offset(i: number): number {
    let k = Math.max(0, Math.min(i, this.n));
    let s = 0;
    while (k > 0) {
      s += this.tree[k]!;
      k -= k & -k;
    }
    return s;
  }

  /** The row at offset `y` (the last row whose top is at or above y); 0 when empty. */
  find(y: number): number {
    if (this.n === 0) return 0;
    let pos = 0;
    let rem = y;
    let step = 1;
    while (step * 2 <= this.n) step *= 2;
    for (; step > 0; step >>= 1) {
      const next = pos + step;
      if (next <= this.n && this.tree[next]! <= rem) {
        pos = next;
        rem -= this.tree[next]!;
      }
    }
    return Math.min(pos, this.n - 1);
  }

  private add(i: number, delta: number): void {
    this.values[i] = this.values[i]! + delta;
    this.sum += delta;
    for (let k = i + 1; k < this.tree.length; k += k & -k) this.tree[k] = this.tree[k]! + delta;
  }

  private grow(): void {
    const size = this.tree.length * 2;
    const values = new Float64Array(size);
    values.set(this.values.subarray(0, this.n));
    // Rebuild the tree in O(n).
    const tree = new Float64Array(size);
    for (let k = 1; k < size; k++) {
      tree[k] = tree[k]! + (values[k - 1] ?? 0);
      const parent = k + (k & -k);
      if (parent < size) tree[parent] = tree[parent]! + tree[k]!;
    }
    this.values = values;
    this.tree = tree;
  }
}

/** Where the list gets its geometry. */
export interface Viewport {
  /** Visible height of the list, px; 0 while it is not laid out (hidden, detached, jsdom). */
  height(): number;
  scrollTop(): number;
  setScrollTop(px: number): void;
  /** Height of a row element in the list, px (0: unknown). */
  measure(el: HTMLElement): number;
  /** Offset of `el` from the top of `row` (an ancestor), px. */
  offsetIn(el: HTMLElement, row: HTMLElement): number;
}

/**
 * The viewport of a scrolling element. Its height is what it can show: its
 * max-height while the rows do not fill it yet (an empty list is laid out
 * too), 0 while it is not rendered (detached, display: none).
 */
export function domViewport(scroller: HTMLElement): Viewport {
  return {
    height: () => {
      if (!scroller.isConnected || scroller.getClientRects().length === 0) return 0;
      const max = parseFloat(getComputedStyle(scroller).maxHeight);
      return Math.max(scroller.clientHeight, Number.isFinite(max) ? max : 0);
    },
    scrollTop: () => scroller.scrollTop,
    setScrollTop: (px) => {
      scroller.scrollTop = px;
    },
    measure: (el) => el.getBoundingClientRect().height,
    offsetIn: (el, row) => (el === row ? 0 : el.getBoundingClientRect().top - row.getBoundingClientRect().top),
  };
}
