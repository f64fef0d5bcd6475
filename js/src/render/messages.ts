// Renders a LangChain message list (serialized dicts, or role/content inputs)
// as human text, AI text (Markdown), AI tool calls and tool results (linked
// by tool call id), and the token usage of AI messages.
//
// Only AI text is Markdown: human and system text is shown as typed, and a
// tool's output is data (JSON, or text from wherever the tool read it).

import { clippedText, formatCount, h, isPlainObject } from "../dom";
import { jsonView } from "../json-view";
import { renderMarkdown } from "../markdown";
import { unwrapMessage, usageOf, type Usage } from "../model/message-index";
import { toolLinkButton } from "./toollinks";

export type MessageKind = "human" | "ai" | "tool" | "system" | "other";

const KINDS: Record<string, MessageKind> = {
  human: "human",
  user: "human",
  humanmessage: "human",
  humanmessagechunk: "human",
  ai: "ai",
  assistant: "ai",
  aimessage: "ai",
  aimessagechunk: "ai",
  tool: "tool",
  function: "tool",
  toolmessage: "tool",
  toolmessagechunk: "tool",
  system: "system",
  developer: "system",
  systemmessage: "system",
  systemmessagechunk: "system",
};

/** A list of messages, or a single message. */
export function renderMessages(value: unknown): HTMLElement {
  const list = h("div", "lgw-messages");
  const items = Array.isArray(value) ? value : [value];
  for (const item of items) list.append(renderMessage(item));
  return list;
}

export function kindOf(m: Record<string, unknown>): MessageKind {
  const t = typeof m.type === "string" ? m.type : typeof m.role === "string" ? m.role : "";
  return KINDS[t.toLowerCase()] ?? "other";
}

export function renderMessage(value: unknown): HTMLElement {
  const m = unwrapMessage(value);
  if (m === null) {
    const el = h("div", "lgw-msg");
    el.dataset.lgwMsgType = "other";
    el.append(jsonView(value, { expandDepth: 1, bare: true }));
    return el;
  }
  const kind = kindOf(m);
  const el = h("div", `lgw-msg lgw-msg-${kind}`);
  el.dataset.lgwMsgType = kind;

  const head = h("div", "lgw-msg-head");
  const rawType = typeof m.type === "string" ? m.type : typeof m.role === "string" ? m.role : "message";
  head.append(h("span", "lgw-msg-role", kind === "other" ? rawType : kind));
  const name = typeof m.name === "string" && m.name ? m.name : null;
  if (kind === "tool") {
    if (name) head.append(h("span", "lgw-tool-name", name));
    if (typeof m.status === "string" && m.status) {
      const status = h("span", "lgw-tool-status", m.status);
      status.dataset.status = m.status;
      head.append(status);
    }
    if (typeof m.tool_call_id === "string" && m.tool_call_id) {
      el.dataset.lgwToolResult = m.tool_call_id;
      head.append(toolLinkButton("call", m.tool_call_id));
    }
  } else if (name) {
    head.append(h("span", "lgw-msg-name", name));
  }
  const usage = usageOf(m);
  if (usage) head.append(usageLabel(usage));
  el.append(head);

  const toolCalls = Array.isArray(m.tool_calls) ? m.tool_calls : [];
  const content = renderContent(m.content, kind, toolCalls.length > 0);
  if (content) el.append(content);
  if (toolCalls.length > 0) el.append(renderToolCalls(toolCalls));
  if (Array.isArray(m.invalid_tool_calls) && m.invalid_tool_calls.length > 0) {
    const bad = h("div", "lgw-invalid-tool-calls");
    bad.append(h("span", "lgw-label", "invalid tool calls"), jsonView(m.invalid_tool_calls, { expandDepth: 1, bare: true }));
    el.append(bad);
  }
  if (kind === "other" && !("content" in m)) el.append(jsonView(m, { expandDepth: 1, bare: true }));
  return el;
}

function renderContent(content: unknown, kind: MessageKind, hasToolCalls: boolean): HTMLElement | null {
  if (content === undefined || content === null) return null;
  if (typeof content === "string") {
    if (content === "") return hasToolCalls ? null : h("div", "lgw-msg-empty", "(empty)");
    if (kind === "tool") return toolResult(content);
    return textBlock(content, kind);
  }
  if (Array.isArray(content)) {
    const wrap = h("div", "lgw-msg-content");
    for (const block of content) {
      if (typeof block === "string") {
        wrap.append(kind === "tool" ? toolResult(block) : textBlock(block, kind));
      } else if (isPlainObject(block) && block.type === "text" && typeof block.text === "string") {
        wrap.append(kind === "tool" ? toolResult(block.text) : textBlock(block.text, kind));
      } else if (
        hasToolCalls &&
        isPlainObject(block) &&
        (block.type === "tool_use" || block.type === "tool_call")
      ) {
        continue; // shown from tool_calls
      } else {
        const other = h("div", "lgw-msg-block");
        other.append(jsonView(block, { expandDepth: 0 }));
        wrap.append(other);
      }
    }
    return wrap.childNodes.length > 0 ? wrap : null;
  }
  const other = h("div", "lgw-msg-content");
  other.append(jsonView(content, { expandDepth: 1, bare: true }));
  return other;
}

function textBlock(text: string, kind: MessageKind): HTMLElement {
  const div = h("div", "lgw-msg-text");
  div.append(kind === "ai" ? renderMarkdown(text) : clippedText(text, "lgw-text"));
  return div;
}

const fmt = formatCount;

/** "12 in · 30 out · 42 tokens", the numbers also as data attributes. */
export function usageLabel(u: Usage): HTMLElement {
  const el = h("span", "lgw-usage", `${fmt(u.input)} in · ${fmt(u.output)} out · ${fmt(u.total)} tokens`);
  el.dataset.lgwUsage = String(u.total);
  el.title = "token usage (usage_metadata)";
  return el;
}

/**
 * Longer JSON texts are not parsed while an entry is built (parsing 10 MB
 * takes a noticeable moment each time the row scrolls into view): they show
 * as clipped text with a button that parses them on demand.
 */
export const PARSE_LIMIT = 1_000_000;

/** Tool output: JSON strings become a JSON viewer, anything else clipped text. */
function toolResult(text: string): HTMLElement {
  const div = h("div", "lgw-tool-result");
  const parsed = parseJsonContainer(text);
  if (parsed !== undefined) {
    div.classList.add("lgw-tool-result-json");
    div.append(jsonView(parsed, { expandDepth: 1, bare: true }));
    return div;
  }
  const clipped = clippedText(text, "lgw-text");
  div.append(clipped);
  if (text.length > PARSE_LIMIT && looksLikeJsonContainer(text)) {
    const button = h("button", "lgw-more lgw-parse-json", `view as JSON (${formatCount(text.length)} chars)`);
    button.type = "button";
    button.addEventListener("click", (e) => {
      e.stopPropagation();
      const value = parseJsonContainer(text, Infinity);
      if (value === undefined) {
        button.textContent = "not valid JSON";
        button.disabled = true;
        return;
      }
      div.classList.add("lgw-tool-result-json");
      div.replaceChildren(jsonView(value, { expandDepth: 1, bare: true }));
    });
    div.append(button);
  }
  return div;
}

function looksLikeJsonContainer(text: string): boolean {
  let i = 0;
  while (i < text.length && text.charCodeAt(i) <= 32) i++;
  let j = text.length - 1;
  while (j > i && text.charCodeAt(j) <= 32) j--;
  const a = text[i];
  const b = text[j];
  return (a === "{" && b === "}") || (a === "[" && b === "]");
}

/** The parsed value when `text` is a JSON object or array (at most `limit` chars), else undefined. */
export function parseJsonContainer(text: string, limit = PARSE_LIMIT): unknown {
  if (text.length > limit || !looksLikeJsonContainer(text)) return undefined;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}

function renderToolCalls(calls: unknown[]): HTMLElement {
  const wrap = h("div", "lgw-tool-calls");
  for (const call of calls) {
    const el = h("div", "lgw-tool-call");
    if (!isPlainObject(call)) {
      el.append(jsonView(call, { expandDepth: 1, bare: true }));
      wrap.append(el);
      continue;
    }
    const fn = isPlainObject(call.function) ? call.function : null; // OpenAI-style
    const name = typeof call.name === "string" ? call.name : fn && typeof fn.name === "string" ? fn.name : "?";
    let args: unknown = "args" in call ? call.args : fn ? fn.arguments : undefined;
    if (typeof args === "string") {
      const parsed = parseJsonContainer(args);
      if (parsed !== undefined) args = parsed;
    }
    const head = h("div", "lgw-tool-call-head");
    head.append(h("span", "lgw-call-arrow", "→ "), h("span", "lgw-tool-name", name));
    if (typeof call.id === "string" && call.id) {
      el.dataset.lgwToolCall = call.id;
      head.append(h("span", "lgw-tool-call-id", call.id), toolLinkButton("result", call.id));
    }
    el.append(head);
    if (args !== undefined) {
      const argsEl = h("div", "lgw-tool-args");
      argsEl.append(jsonView(args, { expandDepth: 1, bare: true }));
      el.append(argsEl);
    }
    wrap.append(el);
  }
  return wrap;
}
