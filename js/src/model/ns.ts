// Subgraph namespaces (DOM-free). An event's ns is a path of segments
// "<node>:<task id>", outermost first: ["team:1a…", "research:7f…"].

/** The container key of a namespace path ("" for the root). */
export function nsKey(ns: readonly string[]): string {
  return ns.join("|");
}

/** "research:7f3c…" -> "research". */
export function segmentNode(segment: string): string {
  const colon = segment.indexOf(":");
  return colon >= 0 ? segment.slice(0, colon) : segment;
}

/** "research:7f3c…" -> "7f3c…"; null without a task id. */
export function segmentTask(segment: string): string | null {
  const colon = segment.indexOf(":");
  return colon >= 0 && colon < segment.length - 1 ? segment.slice(colon + 1) : null;
}

/**
 * A `langgraph_checkpoint_ns` ("research:7f…|summarize:2b…") split into the
 * namespace of the events of that task (all but the last segment) and the
 * task's own node and id (the last segment).
 */
export function splitCheckpointNs(value: unknown): { ns: string[]; node: string | null; task: string | null } {
  if (typeof value !== "string" || value === "") return { ns: [], node: null, task: null };
  const parts = value.split("|").filter((p) => p !== "");
  const last = parts.pop();
  if (last === undefined) return { ns: [], node: null, task: null };
  return { ns: parts, node: segmentNode(last), task: segmentTask(last) };
}
