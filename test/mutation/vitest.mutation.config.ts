import { existsSync } from "node:fs";
import { defineConfig } from "vitest/config";
import { mutationGroups } from "./mutationGroups.js";

// Stryker runs vitest with this config; MUTATION_GROUP (set by scripts/mutate.ts) picks the related tests.
const group = mutationGroups[process.env.MUTATION_GROUP ?? ""];
if (!group) throw new Error(`MUTATION_GROUP must be one of ${Object.keys(mutationGroups).join(", ")}`);

export default defineConfig({
  test: {
    include: group.tests.filter((file) => existsSync(file)),
    setupFiles: ["test/support/fuzzSeed.ts"],
    testTimeout: 20_000,
    hookTimeout: 20_000,
  },
});
