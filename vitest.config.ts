import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["test/**/*.test.ts"],
    setupFiles: ["test/support/fuzzSeed.ts"],
    testTimeout: 20_000,
    hookTimeout: 20_000,
    // Tests bind loopback ports and spawn agent processes; two cores here, so keep parallelism modest.
    maxWorkers: 2,
  },
});
