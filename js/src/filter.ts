// What a view shows of its run: one node, some event kinds, a text to find.
// One FilterState per view; the toolbar, the graph (click a node) and the
// timeline share it, so a filter set in one place shows in all of them.

export interface Filter {
  /** Only events of this node (top-level node name), or null for all. */
  readonly node: string | null;
  /** Only events of these kinds (stream modes); empty for all. */
  readonly kinds: ReadonlySet<string>;
  /** Only events whose data contains this text (case-insensitive); "" for all. */
  readonly text: string;
}

export type FilterListener = (filter: Filter) => void;

const EMPTY: Filter = { node: null, kinds: new Set(), text: "" };

export class FilterState {
  private value: Filter = EMPTY;
  private readonly listeners = new Set<FilterListener>();

  get(): Filter {
    return this.value;
  }

  /** True when some event may be hidden. */
  get active(): boolean {
    const f = this.value;
    return f.node !== null || f.kinds.size > 0 || f.text !== "";
  }

  /** Change some fields; listeners hear of it only when something changed. */
  set(change: Partial<Filter>): void {
    const next: Filter = { ...this.value, ...change };
    const same =
      next.node === this.value.node &&
      next.text === this.value.text &&
      next.kinds.size === this.value.kinds.size &&
      [...next.kinds].every((k) => this.value.kinds.has(k));
    if (same) return;
    this.value = next;
    for (const fn of [...this.listeners]) fn(next);
  }

  clear(): void {
    this.set(EMPTY);
  }

  subscribe(fn: FilterListener): () => void {
    this.listeners.add(fn);
    return () => this.listeners.delete(fn);
  }
}
