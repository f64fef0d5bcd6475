// Bundles src/index.ts into ../lgwidget/static/widget.js (+ widget.css from the
// CSS it imports), and src/standalone.ts into standalone.{js,css}.
// Usage: node build.mjs [--watch]
import * as esbuild from "esbuild";
import { fileURLToPath } from "node:url";
import path from "node:path";

const here = path.dirname(fileURLToPath(import.meta.url));
const watch = process.argv.includes("--watch");

/** @type {import("esbuild").BuildOptions} */
const options = {
  entryPoints: { widget: path.join(here, "src/index.ts") },
  outdir: path.join(here, "../lgwidget/static"),
  bundle: true,
  format: "esm",
  platform: "browser",
  target: ["es2020"],
  minify: !watch,
  sourcemap: watch ? "inline" : false,
  legalComments: "none",
  logLevel: "info",
};

// A saved page (lgwidget/html_export.py) inlines standalone.{js,css}: the same
// view with a kernel-less model, as a classic script (an inline module could
// not import the widget's ESM without a network or blob URL).
/** @type {import("esbuild").BuildOptions} */
const standalone = {
  ...options,
  entryPoints: { standalone: path.join(here, "src/standalone.ts") },
  format: "iife",
};

if (watch) {
  for (const build of [options, standalone]) await (await esbuild.context(build)).watch();
  console.log("watching src/ for changes (Ctrl-C to stop)");
} else {
  await Promise.all([esbuild.build(options), esbuild.build(standalone)]);
}
