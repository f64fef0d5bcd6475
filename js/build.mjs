// Bundles src/index.ts into ../lgwidget/static/widget.js (+ widget.css from the
// CSS it imports). Usage: node build.mjs [--watch]
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

if (watch) {
  const ctx = await esbuild.context(options);
  await ctx.watch();
  console.log("watching src/ for changes (Ctrl-C to stop)");
} else {
  await esbuild.build(options);
}
