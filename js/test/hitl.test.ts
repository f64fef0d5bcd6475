// Human in the loop through the whole widget: the interrupt entry, the one
// Resume box of a view, Continue at a breakpoint, the timeline growing on
// after a resume; and the reconnecting / cancelled notices.

import { describe, expect, it } from "vitest";
import { parseResumeValue } from "../src/model/interrupts";
import { FakeKernel, FakeModel, mountWidget, click, mustQuery, parseSse, rec } from "./helpers";
import hitlSse from "./fixtures/hitl.sse?raw";
import interruptSse from "./fixtures/interrupt.sse?raw";
import breakpointSse from "./fixtures/breakpoint.sse?raw";

function mount(model: FakeModel) {
  const el = mountWidget(model);
  return el;
}

/** Shown: neither it nor an ancestor is hidden. */
function visible(el: Element): boolean {
  for (let e: Element | null = el; e; e = e.parentElement) if ((e as HTMLElement).hidden) return false;
  return true;
}

const visibleButtons = (root: Element, action: string) =>
  [...root.querySelectorAll<HTMLButtonElement>(`button[data-lgw-action="${action}"]`)].filter(visible);

/** hitl.sse holds three runs on one thread (": run <n>" comments between them). */
function runs() {
  const parts = hitlSse.split(/: run \d+\r?\n\r?\n/).filter((p) => p.trim());
  expect(parts).toHaveLength(3);
  return parts.map((p) => parseSse(p));
}

/** The interrupts trait as the kernel sets it, from an `__interrupt__` update. */
function interruptsTrait(events: ReturnType<typeof parseSse>) {
  const ev = events.find((e) => e.mode === "updates" && "__interrupt__" in (e.data as object))!;
  return ((ev.data as { __interrupt__: Array<{ id: string; value: unknown }> }).__interrupt__).map(({ id, value }) => ({ id, value }));
}

describe("interrupt and resume", () => {
  it("shows the question, one Resume box, sends the value and keeps growing after the resume", () => {
    const [run1, run2] = runs();
    const model = new FakeModel({ status: "streaming", started: Date.now() });
    const kernel = new FakeKernel(model);
    const el = mount(model);
    kernel.push(...run1!);
    expect(visibleButtons(el, "resume")).toHaveLength(0); // not yet interrupted
    model.set({ status: "interrupted", interrupts: interruptsTrait(run1!), paused_at: [] });

    // The interrupt entry in the timeline shows the value.
    const entry = mustQuery(el, '.lgw-entry[data-lgw-node="__interrupt__"]');
    expect(entry.classList.contains("lgw-interrupt")).toBe(true);
    expect(mustQuery(entry, ".lgw-interrupt-question").textContent).toBe("Send this email?");
    expect(entry.textContent).toContain("send_email");
    // Exactly one visible Resume button in the view, next to the question.
    const buttons = visibleButtons(el, "resume");
    expect(buttons).toHaveLength(1);
    expect(visibleButtons(el, "continue")).toHaveLength(0);
    const panel = mustQuery(el, ".lgw-header .lgw-hitl");
    expect(panel.dataset.lgwHitl).toBe("interrupt");
    expect(mustQuery(panel, ".lgw-interrupt-question").textContent).toBe("Send this email?");
    expect(mustQuery(el, ".lgw-timeline").dataset.status).toBe("interrupted");

    // New events while interrupted (none expected, but harmless) keep what was typed.
    const input = mustQuery<HTMLTextAreaElement>(panel, "textarea.lgw-resume-input");
    input.value = '{"approved": true}';
    kernel.push(rec(run1!.length, "note", "still here"));
    expect(mustQuery<HTMLTextAreaElement>(el, "textarea.lgw-resume-input").value).toBe('{"approved": true}');

    click(buttons[0]);
    expect(model.sentOfType("resume")).toEqual([{ type: "resume", value: { approved: true } }]);
    expect(buttons[0]!.disabled).toBe(true);
    expect(buttons[0]!.textContent).toBe("Resuming…");

    // The kernel resumes: the same timeline keeps growing, seq continuing.
    model.set({ status: "connecting", interrupts: [], paused_at: [] });
    expect(visibleButtons(el, "resume")).toHaveLength(0);
    const before = el.querySelectorAll(".lgw-entries > .lgw-entry").length;
    const from = kernel.events.length;
    model.set({ status: "streaming" });
    kernel.push(...run2!.map((e, i) => ({ ...e, seq: from + i })));
    const after = [...el.querySelectorAll<HTMLElement>(".lgw-entries > .lgw-entry")];
    expect(after.length).toBe(before + run2!.length);
    expect(after[after.length - 1]!.dataset.lgwSeq).toBe(String(from + run2!.length - 1));
    expect(mustQuery(el, ".lgw-timeline").dataset.count).toBe(String(from + run2!.length));
  });

  it("sends the text as a string when it is not JSON, on Ctrl+Enter too", () => {
    const [run1] = runs();
    const model = new FakeModel({ status: "interrupted", _snapshot: run1, interrupts: interruptsTrait(run1!) });
    const el = mount(model);
    const input = mustQuery<HTMLTextAreaElement>(el, "textarea.lgw-resume-input");
    input.value = "yes, send it";
    input.dispatchEvent(new KeyboardEvent("keydown", { key: "Enter", ctrlKey: true, bubbles: true }));
    expect(model.sentOfType("resume")).toEqual([{ type: "resume", value: "yes, send it" }]);
    expect(input.disabled).toBe(true);
  });

  it("parses the resume box as JSON when it parses", () => {
    expect(parseResumeValue("true")).toBe(true);
    expect(parseResumeValue("42")).toBe(42);
    expect(parseResumeValue('"quoted"')).toBe("quoted");
    expect(parseResumeValue('{"approved": false}')).toEqual({ approved: false });
    expect(parseResumeValue("no")).toBe("no");
    expect(parseResumeValue("")).toBe("");
    expect(parseResumeValue("{broken")).toBe("{broken");
  });

  it("without the traits (older kernel, saved notebook) takes the interrupt from the stream", () => {
    const model = new FakeModel({ status: "interrupted", _snapshot: parseSse(interruptSse) });
    const el = mount(model);
    expect(visibleButtons(el, "resume")).toHaveLength(1);
    expect(mustQuery(el, ".lgw-hitl .lgw-interrupt-question").textContent).toBe("Send this email?");
  });

  it("every view of the model has exactly one Resume button", () => {
    const [run1] = runs();
    const model = new FakeModel({ status: "interrupted", _snapshot: run1, interrupts: interruptsTrait(run1!) });
    const a = mount(model);
    const b = mount(model);
    expect(visibleButtons(a, "resume")).toHaveLength(1);
    expect(visibleButtons(b, "resume")).toHaveLength(1);
    expect(visibleButtons(document.body, "resume")).toHaveLength(2);
  });

  it("a failed send gives the button back and says so", () => {
    const [run1] = runs();
    const model = new FakeModel({ status: "interrupted", _snapshot: run1, interrupts: interruptsTrait(run1!) });
    model.onSend = (msg) => {
      if ((msg as { type: string }).type === "resume") throw new Error("no kernel");
    };
    const el = mount(model);
    const button = visibleButtons(el, "resume")[0]!;
    click(button);
    expect(button.disabled).toBe(false);
    expect(button.textContent).toBe("Resume");
    expect(mustQuery(el, ".lgw-hitl-error").hidden).toBe(false);
  });
});

describe("breakpoints", () => {
  it("show where the run paused and a Continue button", () => {
    const model = new FakeModel({ status: "streaming" });
    const kernel = new FakeKernel(model);
    const el = mount(model);
    kernel.push(...parseSse(breakpointSse));
    const entry = mustQuery(el, '.lgw-entry[data-lgw-node="__interrupt__"]');
    expect(entry.classList.contains("lgw-breakpoint")).toBe(true);
    expect(mustQuery(entry, ".lgw-interrupt-label").textContent).toBe("breakpoint");
    model.set({ status: "interrupted", interrupts: [], paused_at: ["agent"] });
    expect(visibleButtons(el, "resume")).toHaveLength(0);
    const buttons = visibleButtons(el, "continue");
    expect(buttons).toHaveLength(1);
    const panel = mustQuery(el, ".lgw-hitl");
    expect(panel.dataset.lgwHitl).toBe("breakpoint");
    expect(mustQuery(panel, ".lgw-hitl-title").textContent).toBe("Paused at a breakpoint before agent");
    click(buttons[0]);
    expect(model.sentOfType("continue")).toEqual([{ type: "continue" }]);
    expect(buttons[0]!.disabled).toBe(true);
    model.set({ status: "streaming", paused_at: [] });
    expect(visibleButtons(el, "continue")).toHaveLength(0);
  });

  it("the breakpoint after a resume (hitl.sse, run 2): Continue, then the run ends", () => {
    const [run1, run2, run3] = runs();
    const all = [...run1!, ...run2!, ...run3!].map((e, i) => ({ ...e, seq: i }));
    const model = new FakeModel({ status: "interrupted", _snapshot: all.slice(0, run1!.length + run2!.length), paused_at: ["tools"] });
    const el = mount(model);
    expect(visibleButtons(el, "continue")).toHaveLength(1);
    expect(mustQuery(el, ".lgw-paused-at").textContent).toBe("tools");
    // No traits: the last __interrupt__ of the stream is an empty list, a breakpoint too.
    model.set({ paused_at: [] });
    expect(visibleButtons(el, "continue")).toHaveLength(1);
    expect(mustQuery(el, ".lgw-hitl-title").textContent).toBe("Paused at a breakpoint");
    model.set({ status: "done", _snapshot: all });
    expect(visibleButtons(el, "continue")).toHaveLength(0);
    expect(visibleButtons(el, "resume")).toHaveLength(0);
    expect(el.querySelectorAll(".lgw-entries > .lgw-entry")).toHaveLength(all.length);
    const last = [...el.querySelectorAll<HTMLElement>('.lgw-entries > .lgw-entry[data-lgw-event="updates"]')].pop()!;
    expect(last.textContent).toContain("Done: I sent 'Weekly report' to team@example.com.");
  });
});

describe("status notices", () => {
  it("says reconnecting clearly while the events received stay", () => {
    const model = new FakeModel({ status: "streaming", started: Date.now() });
    const kernel = new FakeKernel(model);
    const el = mount(model);
    kernel.push(rec(0, "metadata", { run_id: "r" }), rec(1, "updates", { a: {} }));
    const notice = mustQuery(el, ".lgw-status-notice");
    expect(notice.hidden).toBe(true);
    model.set({ status: "reconnecting" });
    expect(notice.hidden).toBe(false);
    expect(notice.dataset.status).toBe("reconnecting");
    expect(notice.textContent).toContain("reconnecting");
    expect(mustQuery(el, ".lgw-status").textContent).toBe("reconnecting");
    expect(mustQuery(el, ".lgw-timeline").dataset.status).toBe("reconnecting");
    expect(el.querySelectorAll(".lgw-entries > .lgw-entry")).toHaveLength(2);
    // Stop stays available while reconnecting.
    expect(visibleButtons(el, "stop")).toHaveLength(1);
    model.set({ status: "streaming" });
    expect(notice.hidden).toBe(true);
  });

  it("says cancelled", () => {
    const model = new FakeModel({ status: "cancelled", _snapshot: [rec(0, "metadata", {})] });
    const el = mount(model);
    const notice = mustQuery(el, ".lgw-status-notice");
    expect(notice.hidden).toBe(false);
    expect(notice.textContent).toBe("Cancelled: the run was stopped.");
    expect(visibleButtons(el, "stop")).toHaveLength(0);
    expect(visibleButtons(el, "resume")).toHaveLength(0);
  });
});
