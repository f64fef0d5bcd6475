import { afterEach, describe, expect, it, vi } from "vitest";
import { BlockEnds, engine, MARKDOWN_LIMIT, markdownFragment, renderMarkdown } from "../src/markdown";
import { renderMessage } from "../src/render/messages";
import { mustQuery } from "./helpers";

afterEach(() => vi.restoreAllMocks());

/** Hostile Markdown: each entry tries to run script, load something, or restyle the page. */
export const HOSTILE_MARKDOWN = [
  `<script>window.__pwned = 1</script>`,
  `<img src=x onerror="window.__pwned = 1">`,
  `<svg onload="window.__pwned = 1"><circle r="5"/></svg>`,
  `<iframe src="javascript:window.__pwned = 1"></iframe>`,
  `<style>body { display: none }</style>`,
  `<p style="position:fixed;inset:0;background:red">cover</p>`,
  `<form action="https://evil.example"><input name=q><button>go</button></form>`,
  `<math><mtext><table><mglyph><style><img src=x onerror="window.__pwned = 1">`,
  `<object data="javascript:window.__pwned=1"></object><embed src="javascript:window.__pwned=1">`,
  `<details open ontoggle="window.__pwned = 1">x</details>`,
  `[click](javascript:window.__pwned=1)`,
  `[click](JaVaScRiPt:window.__pwned=1)`,
  `[click](  javascript:window.__pwned=1)`,
  `[click](javas&#99;ript:window.__pwned=1)`,
  `[click](data:text/html;base64,PHNjcmlwdD53aW5kb3cuX19wd25lZD0xPC9zY3JpcHQ+)`,
  `[click](vbscript:msgbox)`,
  `[rel](/api/contents)`,
  `<a href="javas&#99;ript:window.__pwned=1">click</a>`,
  `![x](javascript:window.__pwned=1)`,
  `![tracker](https://evil.example/pixel.png)`,
  `[ref][1]\n\n[1]: javascript:window.__pwned=1`,
  `<javascript:window.__pwned=1>`,
  `**bold <img src=x onerror="window.__pwned=1">** and _em <svg onload="window.__pwned=1">_`,
  "- item <script>window.__pwned=1</script>\n- `code <img src=x onerror=alert(1)>`",
  "```html\n<script>window.__pwned=1</script>\n```",
  `> quote <a href="javascript:window.__pwned=1" onclick="window.__pwned=1">x</a>`,
  `| a | b |\n|---|---|\n| <img src=x onerror="window.__pwned=1"> | [x](javascript:alert(1)) |`,
  `<div onmouseover="window.__pwned=1" style="width:100vw;height:100vh">hover</div>`,
  `<a href="https://ok.example" onclick="window.__pwned=1" style="color:red" class="lgw-button" id="x" data-lgw-action="stop">ok</a>`,
];

const FORBIDDEN = "script, img, svg, math, iframe, frame, object, embed, style, link, meta, form, input, button, textarea, select, details, video, audio, base";

/** Nothing in `root` can run script, load anything, take input or restyle. */
function assertInert(root: Element): void {
  expect([...root.querySelectorAll(FORBIDDEN)].map((e) => e.outerHTML)).toEqual([]);
  for (const el of root.querySelectorAll("*")) {
    for (const attr of el.getAttributeNames()) {
      expect(["href", "title", "start", "align", "target", "rel"], `${el.tagName} ${attr}`).toContain(attr);
    }
    const href = el.getAttribute("href");
    if (href !== null) expect(href).toMatch(/^(https?:\/\/|mailto:)/i);
  }
}

describe("Markdown rendering", () => {
  it("renders bold, lists, code blocks, inline code, links, tables", () => {
    const el = renderMarkdown(
      "# Title\n\nSome **bold** and _em_ and `code`.\n\n- one\n- two\n\n1. a\n2. b\n\n```python\nprint('hi')\n```\n\n[docs](https://example.com/docs) <mailto:me@example.com>\n\n| a | b |\n|---|---|\n| 1 | 2 |",
    );
    expect(el.classList.contains("lgw-md")).toBe(true);
    expect(mustQuery(el, "h1").textContent).toBe("Title");
    expect(mustQuery(el, "strong").textContent).toBe("bold");
    expect(mustQuery(el, "em").textContent).toBe("em");
    expect(mustQuery(el, "p > code").textContent).toBe("code");
    expect([...el.querySelectorAll("ul > li")].map((li) => li.textContent)).toEqual(["one", "two"]);
    expect([...el.querySelectorAll("ol > li")].map((li) => li.textContent)).toEqual(["a", "b"]);
    expect(mustQuery(el, "pre > code").textContent).toBe("print('hi')\n");
    const link = mustQuery<HTMLAnchorElement>(el, 'a[href="https://example.com/docs"]');
    expect(link.textContent).toBe("docs");
    expect(link.target).toBe("_blank");
    expect(link.rel).toBe("noopener noreferrer");
    expect(mustQuery(el, 'a[href="mailto:me@example.com"]').getAttribute("rel")).toBe("noopener noreferrer");
    expect(mustQuery(el, "table td").textContent).toBe("1");
    assertInert(el);
  });

  it("plain prose renders as one paragraph with the same text", () => {
    const el = renderMarkdown("Sunny, 24 C.");
    expect(el.children).toHaveLength(1);
    expect(el.textContent).toBe("Sunny, 24 C.");
  });

  for (const bad of HOSTILE_MARKDOWN) {
    it(`hostile Markdown stays inert: ${bad.slice(0, 60)}`, () => {
      const el = renderMarkdown(bad);
      document.body.append(el);
      assertInert(el);
      expect((window as { __pwned?: unknown }).__pwned).toBeUndefined();
      el.remove();
    });
  }

  it("raw HTML is shown as the text the model wrote", () => {
    const el = renderMarkdown(`Try <script>alert(1)</script> and <b onclick="x()">b</b>`);
    expect(el.textContent).toContain("<script>alert(1)</script>");
    expect(el.textContent).toContain(`<b onclick="x()">b</b>`);
    expect(el.querySelector("script, b")).toBeNull();
  });

  it("a link to a refused URL keeps its text and loses its href", () => {
    const el = renderMarkdown("[click me](javascript:alert(1)) and [rel](/api/contents)");
    expect(el.textContent).toBe("click me and rel");
    expect(el.querySelectorAll("a[href]")).toHaveLength(0);
  });

  it("images become links (nothing loads), task list boxes become text", () => {
    const el = renderMarkdown("![chart](https://example.com/c.png)\n\n- [x] done\n- [ ] todo");
    expect(el.querySelector("img")).toBeNull();
    expect(mustQuery(el, 'a[href="https://example.com/c.png"]').textContent).toBe("image: chart");
    expect([...el.querySelectorAll("li")].map((li) => li.textContent)).toEqual(["[x] done", "[ ] todo"]);
  });

  it("each call returns a fresh copy (the cached fragment is never handed out)", () => {
    const a = markdownFragment("**same**")!;
    const b = markdownFragment("**same**")!;
    expect(a.firstChild).not.toBe(b.firstChild);
    (a.firstChild as HTMLElement).append("changed");
    expect(markdownFragment("**same**")!.textContent).toBe("same");
  });

  it("text over the limit is shown as plain clipped text", () => {
    const long = "**x** ".repeat(MARKDOWN_LIMIT / 6 + 1);
    const el = renderMarkdown(long);
    expect(el.classList.contains("lgw-md")).toBe(false);
    expect(el.querySelector("strong")).toBeNull();
    expect(mustQuery(el, ".lgw-text-body").textContent!.startsWith("**x** ")).toBe(true);
  });

  it("falls back to plain text when the sanitizer cannot run (it would hand back its input)", () => {
    vi.spyOn(engine, "sanitize").mockImplementation((html) => html);
    const el = renderMarkdown("**not cached 1** <img src=x onerror=alert(1)>");
    expect(el.classList.contains("lgw-md")).toBe(false);
    expect(el.querySelector("img, strong")).toBeNull();
    expect(el.textContent).toContain("**not cached 1**");
  });

  it("falls back to plain text when parsing throws", () => {
    const warn = vi.spyOn(console, "warn").mockImplementation(() => {});
    vi.spyOn(engine, "parse").mockImplementation(() => {
      throw new Error("boom");
    });
    const el = renderMarkdown("**not cached 2**");
    expect(el.textContent).toBe("**not cached 2**");
    expect(warn).toHaveBeenCalled();
  });
});

describe("BlockEnds", () => {
  it("ends blocks at blank lines and closing fences, never inside a fence", () => {
    const text = "para one\n\n```\ncode\n\nmore code\n```\nafter";
    const ends = new BlockEnds();
    expect(ends.feed(text, text.length)).toBe(text.indexOf("after"));
  });

  it("gives the same ends fed token by token as fed at once", () => {
    const text = "# Head\n\nline\nline two\n\n~~~\n\n~~~\n- a\n- b\n\ntail";
    const whole = new BlockEnds().feed(text, text.length);
    const step = new BlockEnds();
    let last = 0;
    for (let i = 1; i <= text.length; i++) last = step.feed(text.slice(0, i), i);
    expect(last).toBe(whole);
    expect(text.slice(whole)).toBe("tail");
  });
});

describe("messages", () => {
  it("AI text is Markdown; human, system and tool text is shown as typed", () => {
    const ai = renderMessage({ type: "ai", content: "**bold** and `x`" });
    expect(mustQuery(ai, ".lgw-msg-text strong").textContent).toBe("bold");
    for (const type of ["human", "system", "tool"]) {
      const el = renderMessage({ type, content: "**bold** <b>x</b>", tool_call_id: "c" });
      expect(el.querySelector("strong, b")).toBeNull();
      expect(el.textContent).toContain("**bold** <b>x</b>");
    }
  });

  it("Markdown in text content blocks too", () => {
    const el = renderMessage({ type: "ai", content: [{ type: "text", text: "- a\n- b" }] });
    expect(el.querySelectorAll(".lgw-msg-text li")).toHaveLength(2);
  });

  it("shows usage_metadata on the message", () => {
    const el = renderMessage({ type: "ai", content: "hi", usage_metadata: { input_tokens: 1200, output_tokens: 34, total_tokens: 1234 } });
    const usage = mustQuery(el, ".lgw-msg-head .lgw-usage");
    expect(usage.dataset.lgwUsage).toBe("1234");
    expect(usage.textContent).toBe("1,200 in · 34 out · 1,234 tokens");
    expect(renderMessage({ type: "ai", content: "hi" }).querySelector(".lgw-usage")).toBeNull();
    expect(renderMessage({ type: "ai", content: "hi", usage_metadata: { input_tokens: "x" } }).querySelector(".lgw-usage")).toBeNull();
  });

  it("tool calls and results carry their id hooks and a link button", () => {
    const ai = renderMessage({ type: "ai", content: "", tool_calls: [{ name: "search", args: {}, id: "call_1" }] });
    const call = mustQuery(ai, '[data-lgw-tool-call="call_1"]');
    expect(mustQuery(call, "button[data-lgw-link]").dataset.lgwLink).toBe("result");
    const tool = renderMessage({ type: "tool", content: "{}", tool_call_id: "call_1", name: "search" });
    expect(tool.dataset.lgwToolResult).toBe("call_1");
    expect(mustQuery(tool, "button[data-lgw-link]").dataset.lgwLink).toBe("call");
  });
});
