// A saved page (tl.to_html, nbconvert): the kernel-less model, the embedded
// run turned into traits, and the page mounted with the notebook's view.

import { afterEach, describe, expect, it, vi } from "vitest";
import { StaticModel } from "../src/standalone/model";
import { mountPage, PAYLOAD_ID, ROOT_ID } from "../src/standalone/mount";
import { pageTraits, readPayload, type PagePayload } from "../src/standalone/page";
import type { View } from "../src/view";

const ATTACK = "</script><script>window.__pwned=1</script>";

function payload(overrides: Partial<PagePayload> = {}): PagePayload {
  return {
    lgwidget: 1,
    traits: { status: "done", run_id: "run-1", assistant_id: "weather", count: 3, elapsed: 1.5, started: 1000 },
    events: [
      ["metadata", "1-0", 0.5, JSON.stringify({ run_id: "run-1" })],
      ["updates", "2-0", 0.9, JSON.stringify({ agent: { messages: [{ type: "ai", content: `日本 ${ATTACK}` }] } })],
      ["custom", null, 1.1, `not json ✓ ${ATTACK}`, 1],
    ],
    omitted: 0,
    ...overrides,
  };
}

let views: View[] = [];

function page(json: string | null): Document {
  document.body.innerHTML = "";
  const root = document.createElement("div");
  root.id = ROOT_ID;
  document.body.append(root);
  if (json !== null) {
    const script = document.createElement("script");
    script.type = "application/json";
    script.id = PAYLOAD_ID;
    script.textContent = json;
    document.body.append(script);
  }
  return document;
}

afterEach(() => {
  for (const view of views) view.destroy();
  views = [];
  vi.restoreAllMocks();
});

describe("StaticModel", () => {
  it("gets its traits and fires change events on set only when a value changes", () => {
    const model = new StaticModel({ status: "done" });
    const seen: unknown[] = [];
    const listener = (value: unknown) => seen.push(value);
    model.on("change:status", listener);
    model.set("status", "done");
    model.set("status", "error");
    model.save_changes();
    expect(model.get("status")).toBe("error");
    expect(seen).toEqual(["error"]);
    model.off("change:status", listener);
    model.set("status", "done");
    expect(seen).toEqual(["error"]);
  });

  it("off() without a name drops every listener", () => {
    const model = new StaticModel({});
    const listener = vi.fn();
    model.on("change:a", listener);
    model.on("change:b", listener);
    model.off();
    model.set("a", 1);
    model.set("b", 2);
    expect(listener).not.toHaveBeenCalled();
  });

  it("has no kernel to send to", () => {
    expect(() => new StaticModel({}).send({ type: "hello", have: 0 })).toThrow(/no kernel/);
  });
});

describe("pageTraits", () => {
  it("encodes the events as the snapshot trait, byte counts in UTF-8", () => {
    const traits = pageTraits(payload({ omitted: 2 }));
    const snap = traits._snapshot as { events: unknown[]; data: Uint8Array; omitted: number };
    const texts = payload().events.map((e) => e[3]);
    const sizes = texts.map((t) => new TextEncoder().encode(t).length);
    expect(snap.events).toEqual([
      ["metadata", "1-0", 0.5, sizes[0]],
      ["updates", "2-0", 0.9, sizes[1]],
      ["custom", null, 1.1, sizes[2], 1],
    ]);
    expect(new TextDecoder().decode(snap.data)).toBe(texts.join(""));
    expect(snap.omitted).toBe(2);
    expect(traits.run_id).toBe("run-1");
    expect(traits.started).toBe(1000);
  });

  it("stops the clock of a page saved mid-run", () => {
    const traits = pageTraits(payload({ traits: { status: "streaming", started: 1000, elapsed: 4 } }));
    expect(traits.status).toBe("streaming");
    expect(traits.started).toBe(0);
    expect(traits.elapsed).toBe(4);
  });
});

describe("readPayload", () => {
  it("says what is wrong with a page's run", () => {
    expect(readPayload(null)).toEqual(new Error("the page holds no run"));
    expect((readPayload("{nope") as Error).message).toMatch(/not valid JSON/);
    expect((readPayload('{"traits": {}}') as Error).message).toMatch(/no traits or events/);
    expect(readPayload(JSON.stringify(payload()))).toEqual(payload());
  });
});

describe("mountPage", () => {
  it("shows the header and every event of the run, without a kernel", () => {
    const debug = vi.spyOn(console, "debug").mockImplementation(() => {});
    const error = vi.spyOn(console, "error");
    const view = mountPage(page(JSON.stringify(payload())));
    expect(view).not.toBeNull();
    views.push(view!);
    const root = document.querySelector<HTMLElement>(".lgw-timeline")!;
    expect(root.dataset.status).toBe("done");
    expect(root.dataset.count).toBe("3");
    expect(root.querySelector(".lgw-status")!.textContent).toBe("done");
    expect(root.querySelector(".lgw-run")!.textContent).toContain("run-1");
    expect(root.querySelector(".lgw-count")!.textContent).toBe("3 events");
    expect(root.querySelector(".lgw-elapsed")!.textContent).toBe("1.5 s");
    expect([...root.querySelectorAll(".lgw-entry[data-lgw-seq]")].map((e) => e.getAttribute("data-lgw-seq"))).toEqual(["0", "1", "2"]);
    // Data is shown as text (AI messages go through the markdown sanitizer).
    expect(root.textContent).toContain("日本");
    expect(root.textContent).toContain(`not json ✓ ${ATTACK}`);
    expect(root.querySelector("script")).toBeNull();
    expect(debug).toHaveBeenCalledWith("lgwidget: cannot send to the kernel", expect.any(Error));
    expect(error).not.toHaveBeenCalled();
  });

  it("counts the events a saved notebook left out", () => {
    vi.spyOn(console, "debug").mockImplementation(() => {});
    views.push(mountPage(page(JSON.stringify(payload({ traits: { status: "done", count: 5 }, omitted: 2 }))))!);
    expect(document.querySelector(".lgw-count")!.textContent).toBe("3 / 5 events");
  });

  it("says so on the page when it holds no run", () => {
    expect(mountPage(page("{broken"))).toBeNull();
    expect(document.querySelector(".lgw-page-error")!.textContent).toMatch(/^lgwidget: the page's run is not valid JSON/);
    expect(mountPage(page(null))).toBeNull();
    expect(document.querySelector(".lgw-page-error")!.textContent).toBe("lgwidget: the page holds no run");
  });
});
