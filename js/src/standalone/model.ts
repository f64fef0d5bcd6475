// The anywidget model interface with no kernel behind it: what a saved page
// (tl.to_html, an nbconvert export) hands to the same view the notebook uses.
// Traits are fixed at load; `send` throws, as a model whose kernel is gone
// does, so the transport shows the saved events at once and the Resume panel
// says it cannot answer.

import type { Model } from "../types";

type Handler = (...args: unknown[]) => void;

export class StaticModel implements Model {
  private readonly traits: Map<string, unknown>;
  private readonly handlers = new Map<string, Set<Handler>>();

  constructor(traits: Record<string, unknown>) {
    this.traits = new Map(Object.entries(traits));
  }

  get(key: string): unknown {
    return this.traits.get(key);
  }

  /** Change a trait in this page (fires `change:<key>` as anywidget does). */
  set(key: string, value: unknown): void {
    if (Object.is(this.traits.get(key), value)) return;
    this.traits.set(key, value);
    this.emit(`change:${key}`, value);
  }

  /** Nothing to sync to: the page is all there is. */
  save_changes(): void {}

  on(eventName: string, callback: Handler): void {
    let set = this.handlers.get(eventName);
    if (!set) this.handlers.set(eventName, (set = new Set()));
    set.add(callback);
  }

  off(eventName?: string | null, callback?: Handler | null): void {
    if (!eventName) this.handlers.clear();
    else if (!callback) this.handlers.delete(eventName);
    else this.handlers.get(eventName)?.delete(callback);
  }

  send(_content: unknown): void {
    throw new Error("lgwidget: this is a saved page, there is no kernel to send to");
  }

  private emit(eventName: string, ...args: unknown[]): void {
    for (const callback of [...(this.handlers.get(eventName) ?? [])]) callback(...args);
  }
}
