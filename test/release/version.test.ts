import { spawnSync } from "node:child_process";
import { describe, expect, it } from "vitest";

describe("scanner-bot --version", () => {
  it("prints the package version and, run from source, says it is not a build", () => {
    for (const flag of ["--version", "-v"]) {
      const result = spawnSync(process.execPath, ["--import", "tsx", "src/cli.ts", flag], {
        encoding: "utf8",
        timeout: 60_000,
      });
      expect(result.stderr).toBe("");
      expect(result.stdout).toMatch(/^scanner-bot \d+\.\d+\.\d+\S* \(source\)\n$/);
      expect(result.status).toBe(0);
    }
  });
});
