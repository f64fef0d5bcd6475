// A message streaming into its node's entry. The text grows by appending to
// one Text node per message (nothing else is touched per token); tool calls
// show their name and their arguments growing the same way. A message that
// arrived whole is rendered as a message.
//
// AI text is Markdown: each block (up to a blank line or a closing code
// fence, see BlockEnds) is rendered once, when the next one starts, and only
// the block being written stays raw text; when the message is done, that last
// block is rendered too. So a token costs O(token) and a block is parsed once.

import { formatCount, h } from "../dom";
import { BlockEnds, isPlainParagraph, MARKDOWN_LIMIT, markdownFragment } from "../markdown";
import type { StreamMessage, StreamUpdate, TextChange, ToolCallState } from "../model/tokens";
import { kindOf, renderMessage } from "./messages";
import { toolLinkButton } from "./toollinks";

/** Characters of streamed text kept in the DOM; the rest is counted, not shown. */
export const STREAM_TEXT_CAP = 200_000;

/** Grow `node` to `next`: append when it extends what is shown, else replace. */
function growText(node: Text, next: string, cap: number): void {
  const shown = next.length > cap ? next.slice(0, cap) : next;
  const cur = node.data;
  if (shown === cur) return;
  if (shown.startsWith(cur)) node.appendData(shown.slice(cur.length));
  else node.data = shown;
}

class ToolCallView {
  readonly el = h("div", "lgw-tool-call lgw-tool-call-streaming");
  private readonly name = document.createTextNode("");
  private readonly id = h("span", "lgw-tool-call-id");
  private readonly args = document.createTextNode("");
  private link: HTMLButtonElement | null = null;

  constructor() {
    const head = h("div", "lgw-tool-call-head");
    const name = h("span", "lgw-tool-name");
    name.append(this.name);
    head.append(h("span", "lgw-call-arrow", "→ "), name, this.id);
    const args = h("div", "lgw-tool-args lgw-tool-args-text");
    args.append(this.args);
    this.el.append(head, args);
    this.id.hidden = true;
  }

  update(call: ToolCallState): void {
    if (this.name.data !== (call.name || "…")) this.name.data = call.name || "…";
    if (call.id && this.id.textContent !== call.id) {
      this.id.textContent = call.id;
      this.id.hidden = false;
      this.el.dataset.lgwToolCall = call.id;
      this.link?.remove();
      this.link = toolLinkButton("result", call.id);
      this.id.after(this.link);
    }
    growText(this.args, call.args, STREAM_TEXT_CAP);
  }
}

export class StreamView {
  readonly el: HTMLElement;
  private text: Text | null = null;
  private textEl: HTMLElement | null = null;
  private clipNote: HTMLElement | null = null;
  private calls: HTMLElement | null = null;
  private readonly callViews = new Map<string, ToolCallView>();
  private whole = false;
  /** Markdown blocks of AI text: where they end, their element, the text they hold. */
  private blocks: BlockEnds | null = null;
  private md: HTMLElement | null = null;
  private committed = 0;
  private committedText = "";
  private full = "";

  constructor(msg: StreamMessage) {
    this.el = h("div", "lgw-stream-msg");
    this.el.dataset.lgwMsgId = msg.id;
    this.update({ msg, created: true, text: { replace: true }, toolCallsChanged: true });
  }

  get done(): boolean {
    return this.el.dataset.lgwState === "done";
  }

  update(u: StreamUpdate): void {
    const msg = u.msg;
    this.el.dataset.lgwChunks = String(msg.chunks);
    if (msg.whole && msg.message) {
      // Arrived in one piece (or completed): the message itself.
      if (!this.whole || u.created || u.text !== null) {
        this.whole = true;
        this.el.replaceChildren(renderMessage(msg.message));
        this.text = this.textEl = this.clipNote = this.calls = this.md = null;
        this.blocks = null;
        this.callViews.clear();
      }
      this.el.classList.add("lgw-whole");
      this.setDone(true);
      return;
    }
    if (!this.textEl) this.buildStreaming(msg);
    if (u.text !== null) this.growTo(msg.text, u.created ? null : u.text);
    if (u.toolCallsChanged) this.updateCalls(msg.toolCalls);
    this.setDone(msg.done);
  }

  private buildStreaming(msg: StreamMessage): void {
    const kind = kindOf({ type: msg.type });
    const wrap = h("div", `lgw-msg lgw-msg-${kind} lgw-streaming`);
    wrap.dataset.lgwMsgType = kind;
    const head = h("div", "lgw-msg-head");
    head.append(h("span", "lgw-msg-role", kind === "other" ? msg.type : kind));
    this.textEl = h("div", "lgw-msg-text lgw-stream-text");
    this.text = document.createTextNode("");
    this.textEl.append(this.text);
    this.markdown = kind === "ai";
    this.resetBlocks();
    wrap.append(head, this.textEl);
    this.el.replaceChildren(wrap);
  }

  /**
   * Show `full`. A known append (`change`) touches only the end of the text
   * node: no comparison over the text so far, so a long message costs O(token).
   */
  private growTo(full: string, change: TextChange): void {
    const node = this.text;
    if (!node || !this.textEl) return;
    this.full = full;
    const end = Math.min(full.length, STREAM_TEXT_CAP);
    // In step when the text shown is everything before this append (or the cap).
    const inStep = change !== null && "append" in change && this.committed + node.length === Math.min(full.length - change.append.length, STREAM_TEXT_CAP);
    if (!inStep && this.committed > 0 && !full.startsWith(this.committedText)) this.resetBlocks();
    const before = this.committed;
    this.commitBlocks(full, end);
    if (inStep && this.committed === before) {
      const room = end - this.committed - node.length;
      if (room > 0) node.appendData(room >= change.append.length ? change.append : change.append.slice(0, room));
    } else {
      growText(node, full.slice(this.committed, end), STREAM_TEXT_CAP);
    }
    if (full.length > STREAM_TEXT_CAP) {
      if (!this.clipNote) {
        this.clipNote = h("span", "lgw-stream-clip");
        this.textEl.append(this.clipNote);
      }
      this.clipNote.textContent = ` … (${formatCount(full.length)} chars, the first ${formatCount(STREAM_TEXT_CAP)} shown)`;
    }
  }

  private markdown = false;

  private resetBlocks(): void {
    this.md?.remove();
    this.md = null;
    this.committed = 0;
    this.committedText = "";
    this.blocks = this.markdown ? new BlockEnds() : null;
  }

  /** Render the blocks of `full[0, end)` completed since the last call (up to MARKDOWN_LIMIT). */
  private commitBlocks(full: string, end: number): void {
    if (!this.blocks || this.committed >= MARKDOWN_LIMIT) return;
    const upTo = this.blocks.feed(full, end);
    if (upTo > this.committed) this.appendMarkdown(full.slice(this.committed, upTo), upTo);
  }

  /** Add `text` (the shown text up to `upTo`) as Markdown; a text that cannot be rendered stays raw from here on. */
  private appendMarkdown(text: string, upTo: number): boolean {
    const frag = markdownFragment(text);
    if (!frag || !this.textEl || !this.text) {
      this.blocks = null;
      return false;
    }
    if (!this.md) {
      this.md = h("div", "lgw-md");
      this.textEl.insertBefore(this.md, this.text);
    }
    this.md.append(frag);
    this.committed = upTo;
    this.committedText = this.full.slice(0, upTo);
    return true;
  }

  /** Done: the block that was being written is Markdown too (plain prose stays the text node). */
  private finishMarkdown(): void {
    const node = this.text;
    if (!this.blocks || !node || this.full.length > Math.min(STREAM_TEXT_CAP, MARKDOWN_LIMIT)) return;
    const tail = node.data;
    if (tail.trim() === "") return;
    const frag = markdownFragment(tail);
    if (!frag || isPlainParagraph(frag, tail)) return;
    if (this.appendMarkdown(tail, this.full.length)) node.data = "";
  }

  private updateCalls(calls: ToolCallState[]): void {
    if (calls.length === 0) return;
    if (!this.calls) {
      this.calls = h("div", "lgw-tool-calls");
      this.el.firstElementChild?.append(this.calls);
    }
    for (const call of calls) {
      let view = this.callViews.get(call.key);
      if (!view) {
        view = new ToolCallView();
        this.callViews.set(call.key, view);
        this.calls.append(view.el);
      }
      view.update(call);
    }
  }

  /** The node's update landed: whatever was still streaming is final now. */
  settle(): void {
    this.el.classList.add("lgw-settled");
    this.setDone(true);
  }

  private setDone(done: boolean): void {
    if (done) this.finishMarkdown();
    this.el.dataset.lgwState = done ? "done" : "streaming";
    this.el.firstElementChild?.classList.toggle("lgw-streaming", !done);
  }
}
