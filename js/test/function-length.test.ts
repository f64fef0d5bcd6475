// @vitest-environment node
// No function in src/ runs longer than MAX_LINES: one that does is doing more
// than one job, and should be split. Functions, methods, accessors and arrow
// functions are measured from their first line to their last (a closure
// written inline counts in its own length and in the outer function's).
// Parsed by the TypeScript compiler (its API runs tsgo in a child process).

import { createVirtualFileSystem } from "typescript/unstable/fs";
import { SyntaxKind, type CallExpression, type Node, type SourceFile } from "typescript/unstable/ast";
import { API, type APIOptions } from "typescript/unstable/sync";
import { describe, expect, it } from "vitest";

const MAX_LINES = 120;

const FUNCTIONS: ReadonlySet<SyntaxKind> = new Set([
  SyntaxKind.FunctionDeclaration,
  SyntaxKind.FunctionExpression,
  SyntaxKind.ArrowFunction,
  SyntaxKind.MethodDeclaration,
  SyntaxKind.Constructor,
  SyntaxKind.GetAccessor,
  SyntaxKind.SetAccessor,
]);

function nameText(node: Node): string | null {
  const name = (node as { name?: Node }).name;
  return name ? name.getText() : null;
}

/** A function's name, else what it is assigned to or passed to. */
function nameOf(node: Node): string {
  if (node.kind === SyntaxKind.Constructor) return "constructor";
  const own = nameText(node);
  if (own) return own;
  const parent = node.parent;
  switch (parent.kind) {
    case SyntaxKind.VariableDeclaration:
    case SyntaxKind.PropertyAssignment:
    case SyntaxKind.PropertyDeclaration:
      return nameText(parent) ?? "(anonymous)";
    case SyntaxKind.CallExpression:
      return `(callback of ${(parent as CallExpression).expression.getText()})`;
    default:
      return "(anonymous)";
  }
}

/** The functions of `file` longer than `max` lines, as "name at line L: N lines"; and how many it has. */
function longFunctions(file: SourceFile, max: number): { long: string[]; count: number } {
  const long: string[] = [];
  let count = 0;
  const visit = (node: Node): void => {
    if (FUNCTIONS.has(node.kind)) {
      count++;
      const first = file.getLineAndCharacterOfPosition(node.getStart(file)).line;
      const last = file.getLineAndCharacterOfPosition(node.end).line;
      const lines = last - first + 1;
      if (lines > max) long.push(`${nameOf(node)} at line ${first + 1}: ${lines} lines`);
    }
    node.forEachChild(visit);
  };
  file.forEachChild(visit);
  return { long, count };
}

/** Parse the files of project `tsconfig` and hand `use` a reader of their syntax trees. */
function withProgram<T>(options: APIOptions, tsconfig: string, use: (file: (path: string) => SourceFile) => T): T {
  const api = new API(options);
  try {
    const program = api.updateSnapshot({ openProjects: [{ uri: tsconfig }] }).getProjects()[0]!.program;
    return use((path) => {
      const file = program.getSourceFile({ uri: path });
      if (!file) throw new Error(`not in the program: ${path}`);
      return file;
    });
  } finally {
    api.close();
  }
}

/** `n` lines of statements. */
const statements = (n: number, indent: string) => Array.from({ length: n }, (_, i) => `${indent}total += ${i};`);

/** Source blocks, each with the name the check gives its long function and that function's first line in the block (null: none is too long). */
function samples(max: number): Array<{ code: string[]; long: string | null; at: number; lines: number }> {
  return [
    { code: ["export function fits(total: number): number {", ...statements(max - 3, "  "), "  return total;", "}"], long: null, at: 0, lines: max },
    { code: ["export function tooLong(total: number): number {", ...statements(max - 2, "  "), "  return total;", "}"], long: "tooLong", at: 0, lines: max + 1 },
    { code: ["export const arrow = (total: number): number => {", ...statements(max - 2, "  "), "  return total;", "};"], long: "arrow", at: 0, lines: max + 1 },
    {
      code: ["export class Holder {", "  method(total: number): number {", ...statements(max - 2, "    "), "    return total;", "  }", "}"],
      long: "method",
      at: 1,
      lines: max + 1,
    },
    // The callback fits; the function it is written in does not.
    { code: ["export function outer(): void {", "  [0].forEach((total) => {", ...statements(max - 2, "    "), "  });", "}"], long: "outer", at: 0, lines: max + 2 },
    { code: ["queueMicrotask(() => {", "  let total = 0;", ...statements(max - 2, "  "), "});"], long: "(callback of queueMicrotask)", at: 0, lines: max + 1 },
  ];
}

describe("function length", () => {
  it(`the check finds a function longer than ${MAX_LINES} lines, of any kind, and nothing at ${MAX_LINES}`, () => {
    const blocks = samples(MAX_LINES);
    const expected: string[] = [];
    let line = 1;
    for (const b of blocks) {
      if (b.long) expected.push(`${b.long} at line ${line + b.at}: ${b.lines} lines`);
      line += b.code.length + 1;
    }
    const source = blocks.map((b) => b.code.join("\n")).join("\n\n");
    const fs = createVirtualFileSystem({ "/check/tsconfig.json": '{"files": ["long.ts"]}', "/check/long.ts": source });
    const found = withProgram({ cwd: "/check", fs }, "file:///check/tsconfig.json", (file) => longFunctions(file("file:///check/long.ts"), MAX_LINES));
    expect(found.long).toEqual(expected);
    expect(found.long).toHaveLength(5);
  });

  it(`no function in src/ spans more than ${MAX_LINES} lines`, () => {
    const sources = Object.keys(import.meta.glob("../src/**/*.ts")).filter((path) => !path.endsWith(".d.ts"));
    const tsconfig = new URL("../tsconfig.json", import.meta.url).href;
    const { long, functions } = withProgram({}, tsconfig, (file) => {
      const long: string[] = [];
      let functions = 0;
      for (const path of sources) {
        const found = longFunctions(file(new URL(path, import.meta.url).href), MAX_LINES);
        functions += found.count;
        for (const f of found.long) long.push(`${path.slice(3)}: ${f}`);
      }
      return { long, functions };
    });
    expect(sources.length).toBeGreaterThan(50);
    expect(functions).toBeGreaterThan(500);
    expect(long).toEqual([]);
  });
});
