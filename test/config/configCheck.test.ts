import { spawnSync } from "node:child_process";
import { describe, expect, it } from "vitest";

const root = new URL("../..", import.meta.url).pathname;

function configCheck(file: string, env: Record<string, string>) {
  const result = spawnSync(process.execPath, ["--import", "tsx", "src/cli.ts", "config", "check", file], {
    cwd: root,
    env: { PATH: process.env.PATH ?? "", ...env },
    encoding: "utf8",
    timeout: 20_000,
  });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

describe("scanner-bot config check", () => {
  it("prints a summary without secret values and exits 0 for a valid file", () => {
    const secret = "prod-shared-secret-value-9f3e";
    const { code, stdout } = configCheck("test/fixtures/config/valid.yml", {
      SCANNER_PROD_SECRET: secret,
      SCANNER_EMEA_SECRET: "emea-shared-secret-value-1c2d",
    });
    expect(code).toBe(0);
    expect(stdout).toContain("test/fixtures/config/valid.yml is valid.");
    expect(stdout).toContain("secret from $SCANNER_PROD_SECRET");
    expect(stdout).not.toContain(secret);
  });

  it("lists every problem by path on stderr, no stack trace, and exits 1", () => {
    const { code, stderr } = configCheck("test/fixtures/config/many-problems.yml", {});
    expect(code).toBe(1);
    expect(stderr).toContain("12 problem(s)");
    expect(stderr).toContain("clusters[0].nodes[0].secret: environment variable SCANNER_PROD_SECRET is not set");
    expect(stderr).toContain('fleet: unknown setting "concurency"');
    expect(stderr).not.toMatch(/\n\s+at .*\.(ts|js):\d+/);
  });
});
