// Mutation testing (npm run mutate): the base settings; scripts/mutate.ts runs one module group at a time.
/** @type {import('@stryker-mutator/api/core').PartialStrykerOptions} */
export default {
  testRunner: "vitest",
  vitest: { configFile: "test/mutation/vitest.mutation.config.ts", related: false },
  // TypeScript 7 has no parseConfigFileTextToJson, which Stryker's TypeScript checker needs: no checker.
  checkers: [],
  // Stryker rewrites the named tsconfig with TypeScript's parseConfigFileTextToJson (gone in TypeScript 7): name
  // none. Vitest compiles the sources itself, so nothing needs it.
  tsconfigFile: "test/mutation/no-tsconfig.json",
  coverageAnalysis: "perTest",
  concurrency: 2,
  timeoutMS: 20_000,
  tempDirName: ".stryker-tmp",
  cleanTempDir: "always",
  // Root-anchored: agent/reports/ is source, /reports is the mutation output.
  ignorePatterns: ["/data", "/reports", "/docs", "/.ci", "/dist", "/bench", "/build"],
  reporters: ["clear-text", "json", "html"],
  clearTextReporter: { allowColor: false, logTests: false, maxTestsToLog: 0 },
};
