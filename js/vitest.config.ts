import { defineConfig } from "vitest/config";

export default defineConfig({
  // The tests read js/ and, outside it, only the golden cases shared with the
  // kernel's tests (../tests/golden/timing.json in model-timing.test.ts).
  server: { fs: { allow: [".", "../tests/golden"] } },
  test: {
    environment: "jsdom",
    include: ["test/**/*.test.ts"],
    setupFiles: ["test/setup.ts"],
    // The scale tests push 50,000 events through jsdom: seconds on a busy 2-core
    // machine. A hang still fails; speed is the benchmark's business, not a test's.
    testTimeout: 30_000,
  },
});
