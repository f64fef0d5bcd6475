import { describe, expect, it } from "vitest";
import { jsonView } from "../src/json-view";
import { HOSTILE, assertNoInjectedElements, click, mustQuery } from "./helpers";

const rows = (el: Element) => el.querySelectorAll(".lgw-json-node");

describe("jsonView", () => {
  it("renders primitives with their type", () => {
    expect(mustQuery(jsonView(42), ".lgw-json-number").textContent).toBe("42");
    expect(mustQuery(jsonView(true), ".lgw-json-boolean").textContent).toBe("true");
    expect(mustQuery(jsonView(null), ".lgw-json-null").textContent).toBe("null");
    expect(mustQuery(jsonView("hi"), ".lgw-json-string").textContent).toBe('"hi"');
    expect(jsonView({}).textContent).toBe("{}");
    expect(jsonView([]).textContent).toBe("[]");
  });

  it("is lazy: collapsed branches build no children until expanded", () => {
    const value = { a: { b: { c: 1 } }, list: [1, 2, 3] };
    const el = jsonView(value);
    expect(el.querySelector(".lgw-json-children")).toBeNull();
    expect(rows(el)).toHaveLength(1);
    const toggle = mustQuery(el, ".lgw-json-toggle");
    expect(toggle.getAttribute("aria-expanded")).toBe("false");
    expect(toggle.textContent).toContain("2 keys");

    click(toggle);
    expect(toggle.getAttribute("aria-expanded")).toBe("true");
    // Top level built: root + a + list; a's own children still absent.
    expect(rows(el)).toHaveLength(3);
    const a = [...el.querySelectorAll(".lgw-json-branch")].find(
      (n) => n.querySelector(":scope > .lgw-json-toggle .lgw-json-key")?.textContent === "a",
    )!;
    expect(a.querySelector(".lgw-json-children")).toBeNull();
    click(a.querySelector(":scope > .lgw-json-toggle"));
    expect(a.querySelector(".lgw-json-children")).not.toBeNull();
    expect(a.textContent).toContain("b");
    // c lives one more level down and is not built yet.
    expect(el.querySelector(".lgw-json-number")).toBeNull();
  });

  it("collapse hides children and re-expanding reuses them", () => {
    const el = jsonView({ x: 1 }, { expandDepth: 1 });
    const children = mustQuery(el, ".lgw-json-children");
    click(mustQuery(el, ".lgw-json-toggle"));
    expect(children.hidden).toBe(true);
    click(mustQuery(el, ".lgw-json-toggle"));
    expect(children.hidden).toBe(false);
    expect(el.querySelectorAll(".lgw-json-children")).toHaveLength(1);
    expect(mustQuery(el, ".lgw-json-children")).toBe(children);
  });

  it("expandDepth opens that many levels and no more", () => {
    const el = jsonView({ a: { b: { c: { d: 1 } } } }, { expandDepth: 2 });
    const opened = el.querySelectorAll('.lgw-json-toggle[aria-expanded="true"]');
    expect(opened).toHaveLength(2);
    expect(el.querySelectorAll(".lgw-json-children")).toHaveLength(2);
  });

  it("bare mode lists the top level without a root row", () => {
    const el = jsonView({ a: 1, b: { c: 2 } }, { bare: true, expandDepth: 1 });
    expect(el.classList.contains("lgw-json-bare")).toBe(true);
    expect(el.firstElementChild!.classList.contains("lgw-json-children")).toBe(true);
    expect([...el.querySelectorAll(".lgw-json-key")].map((k) => k.textContent)).toEqual(["a", "b"]);
    // b is still collapsed and unbuilt.
    expect(el.querySelectorAll(".lgw-json-children")).toHaveLength(1);
    // Primitives and empty containers are unaffected.
    expect(jsonView(5, { bare: true }).textContent).toBe("5");
    expect(jsonView([], { bare: true }).textContent).toBe("[]");
  });

  it("shows a preview of a collapsed branch", () => {
    const el = jsonView({ location: "Los Angeles, CA", temp_c: 24, tags: ["a"], more: 1 });
    expect(mustQuery(el, ".lgw-json-preview").textContent).toBe('{location: "Los Angeles, CA", temp_c: 24, tags: […], …}');
  });

  it("clips strings longer than 400 characters behind show more", () => {
    const long = "x".repeat(1000) + "END";
    const el = jsonView({ s: long }, { expandDepth: 1 });
    const str = mustQuery(el, ".lgw-json-string");
    expect(str.textContent).not.toContain("END");
    expect(mustQuery(str, ".lgw-text-body").textContent!.length).toBeLessThan(410);
    const more = mustQuery<HTMLButtonElement>(str, "button.lgw-more");
    expect(more.textContent).toContain("show more");
    click(more);
    expect(mustQuery(str, ".lgw-text-body").textContent).toBe(`"${long}"`);
    expect(more.textContent).toBe("show less");
    click(more);
    expect(str.textContent).not.toContain("END");
  });

  it("does not clip strings at or under the limit", () => {
    const el = jsonView("y".repeat(400));
    expect(el.querySelector("button.lgw-more")).toBeNull();
    expect(el.textContent).toBe(`"${"y".repeat(400)}"`);
  });

  it("handles JSON deeper than the call stack without recursion", () => {
    let deep: unknown = "bottom";
    for (let i = 0; i < 100_000; i++) deep = { n: deep };
    let el!: HTMLElement;
    expect(() => {
      el = jsonView(deep, { expandDepth: 3 });
    }).not.toThrow();
    expect(el.querySelectorAll(".lgw-json-children")).toHaveLength(3);
    // Walk down by hand a few more levels.
    for (let i = 0; i < 5; i++) {
      const closed = el.querySelector<HTMLElement>('.lgw-json-toggle[aria-expanded="false"]')!;
      click(closed);
    }
    expect(el.querySelectorAll(".lgw-json-children")).toHaveLength(8);
  });

  it("pages large arrays instead of building every item", () => {
    const big = Array.from({ length: 1050 }, (_, i) => i);
    const el = jsonView(big, { expandDepth: 1 });
    const children = mustQuery(el, ".lgw-json-children");
    expect(children.querySelectorAll(".lgw-json-node")).toHaveLength(100);
    const more = mustQuery(children, ".lgw-json-more");
    expect(more.textContent).toBe("show 100 more (950 left)");
    click(more);
    expect(children.querySelectorAll(".lgw-json-node")).toHaveLength(200);
    expect(children.lastElementChild).toBe(more);
    for (let i = 0; i < 9; i++) click(more);
    expect(children.querySelectorAll(".lgw-json-node")).toHaveLength(1050);
    expect(children.querySelector(".lgw-json-more")).toBeNull();
    expect(children.lastElementChild!.textContent).toContain("1049");
  });

  it("puts hostile keys and values in as text", () => {
    const value: Record<string, string> = {};
    for (const s of HOSTILE) value[s] = s;
    const el = jsonView(value, { expandDepth: 1 });
    assertNoInjectedElements(el);
    const keys = [...el.querySelectorAll(".lgw-json-key")].map((k) => k.textContent);
    expect(keys).toEqual(HOSTILE);
    expect(el.textContent).toContain(`"<script>alert(1)</script>"`);
  });

  it("shows a __proto__ key from JSON as an ordinary key", () => {
    const value = JSON.parse('{"__proto__": {"polluted": 1}, "a": 2}') as unknown;
    const el = jsonView(value, { expandDepth: 2 });
    expect([...el.querySelectorAll(".lgw-json-key")].map((k) => k.textContent)).toEqual(["__proto__", "polluted", "a"]);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });
});
