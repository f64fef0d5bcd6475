import { afterEach, describe, expect, it, vi } from "vitest";
import { createHeader } from "../src/render/header";
import { EventStore } from "../src/store";
import { FakeModel, click, mustQuery, rec } from "./helpers";

const T0 = 1_795_553_295_000;

function setup(traits: Record<string, unknown> = {}, now = () => T0) {
  const model = new FakeModel(traits);
  const store = new EventStore();
  const header = createHeader(model, store, { now, tickMs: 100 });
  document.body.append(header.el);
  const q = (sel: string) => mustQuery(header.el, sel);
  return { model, store, header, q };
}

afterEach(() => {
  vi.useRealTimers();
  document.body.replaceChildren();
});

describe("header", () => {
  it("shows ids, status, count and elapsed", () => {
    const { q, store } = setup({
      status: "done",
      assistant_id: "agent",
      run_id: "01a20f50-e4ca",
      thread_id: "01a20f50-aaaa",
      started: T0 - 5000,
      elapsed: 1.234,
      url: "http://127.0.0.1:2024",
    });
    store.append(0, [rec(0, "metadata", {}), rec(1, "updates", {})]);
    expect(q(".lgw-assistant .lgw-id").textContent).toBe("agent");
    expect(q(".lgw-assistant").title).toBe("http://127.0.0.1:2024");
    expect(q(".lgw-run .lgw-id").textContent).toBe("01a20f50-e4ca");
    expect(q(".lgw-thread .lgw-id").textContent).toBe("01a20f50-aaaa");
    expect(q(".lgw-status").textContent).toBe("done");
    expect(q(".lgw-status").dataset.status).toBe("done");
    expect(q(".lgw-count").textContent).toBe("2 events");
    // Final elapsed comes from the trait, not the clock.
    expect(q(".lgw-elapsed").textContent).toBe("1.2 s");
    expect(q(".lgw-waiting").hidden).toBe(true);
  });

  it("hides empty id fields", () => {
    const { q } = setup({ assistant_id: "agent" });
    expect(q(".lgw-run").hidden).toBe(true);
    expect(q(".lgw-thread").hidden).toBe(true);
    expect(q(".lgw-assistant").hidden).toBe(false);
  });

  it("says connecting… then waiting for the first event… until an event arrives", () => {
    const { q, model, store } = setup({ status: "connecting" });
    expect(q(".lgw-waiting").hidden).toBe(false);
    expect(q(".lgw-waiting").textContent).toBe("connecting…");
    model.set({ status: "streaming", started: T0 });
    expect(q(".lgw-waiting").textContent).toBe("waiting for the first event…");
    expect(q(".lgw-count").textContent).toBe("0 events");
    store.append(0, [rec(0, "metadata", {})]);
    expect(q(".lgw-waiting").hidden).toBe(true);
    expect(q(".lgw-count").textContent).toBe("1 event");
  });

  it("shows catching up when the kernel holds more than this view", () => {
    const { q, model } = setup({ status: "streaming", count: 40 });
    expect(q(".lgw-waiting").textContent).toBe("loading 40 events…");
    expect(q(".lgw-count").textContent).toBe("0 / 40 events");
    model.set({ status: "done" });
    expect(q(".lgw-waiting").hidden).toBe(true);
  });

  it("shows the Stop button only while the run is live, and it sends cancel", () => {
    const { q, model } = setup({ status: "connecting" });
    const stop = q('button[data-lgw-action="stop"]') as HTMLButtonElement;
    expect(stop.hidden).toBe(false);
    for (const status of ["streaming", "reconnecting"]) {
      model.set({ status });
      expect(stop.hidden).toBe(false);
    }
    click(stop);
    expect(model.sent).toEqual([{ type: "cancel" }]);
    expect(stop.disabled).toBe(true);
    for (const status of ["done", "error", "cancelled", "interrupted"]) {
      model.set({ status });
      expect(stop.hidden, status).toBe(true);
    }
    model.set({ status: "streaming" }); // e.g. resumed: usable again
    expect(stop.hidden).toBe(false);
    expect(stop.disabled).toBe(false);
  });

  it("shows the error trait", () => {
    const { q, model } = setup({ status: "streaming" });
    expect(q(".lgw-header-error").hidden).toBe(true);
    model.set({ status: "error", error: "ValueError: boom <b>x</b>" });
    expect(q(".lgw-header-error").hidden).toBe(false);
    expect(q(".lgw-header-error").textContent).toBe("ValueError: boom <b>x</b>");
    expect(q(".lgw-header-error").querySelector("b")).toBeNull();
  });

  it("counts elapsed time live from started while running, and stops the timer at the end", () => {
    vi.useFakeTimers();
    let now = T0 + 1500;
    const { q, model, header } = setup({ status: "streaming", started: T0 }, () => now);
    expect(q(".lgw-elapsed").textContent).toBe("1.5 s");
    now += 2000;
    vi.advanceTimersByTime(100);
    expect(q(".lgw-elapsed").textContent).toBe("3.5 s");
    expect(vi.getTimerCount()).toBe(1);
    model.set({ status: "done", elapsed: 3.61 });
    expect(vi.getTimerCount()).toBe(0);
    expect(q(".lgw-elapsed").textContent).toBe("3.6 s");
    now += 60_000;
    vi.advanceTimersByTime(1000);
    expect(q(".lgw-elapsed").textContent).toBe("3.6 s");
    header.destroy();
  });

  it("has no elapsed time before the run starts", () => {
    const { q } = setup({ status: "connecting", started: 0 });
    expect(q(".lgw-elapsed").hidden).toBe(true);
  });

  it("formats long runs in minutes", () => {
    const { q } = setup({ status: "done", started: T0, elapsed: 125.4 });
    expect(q(".lgw-elapsed").textContent).toBe("2 min 05 s");
  });

  it("destroy clears the timer and every listener", () => {
    vi.useFakeTimers();
    const { model, header, store, q } = setup({ status: "streaming", started: T0 });
    expect(vi.getTimerCount()).toBe(1);
    header.destroy();
    expect(vi.getTimerCount()).toBe(0);
    expect(model.listenerCount()).toBe(0);
    store.append(0, [rec(0, "metadata", {})]);
    expect(q(".lgw-count").textContent).toBe("0 events");
  });
});
