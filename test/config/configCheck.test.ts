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

describe("scanner-bot config check: secrets written in the file", () => {
  const inline = {
    node: "prod-shared-secret-written-inline-4b1d",
    botToken: "xoxb-1111111111-2222222222-InlineTokenValue",
    signingSecret: "8f742231b10e8888abcd99e1a0inline",
    appPassword: "Qm8Q~inline.teams.password-value_0123456789",
    storePassword: "Pg-Inline-Passw0rd",
  };

  it("warns by path for each inline secret, never printing one, and still exits 0", async () => {
    const { mkdtemp, writeFile } = await import("node:fs/promises");
    const { tmpdir } = await import("node:os");
    const { join } = await import("node:path");
    const file = join(await mkdtemp(join(tmpdir(), "scanner-config-")), "bot.yml");
    await writeFile(
      file,
      [
        "clusters:",
        "  - name: prod",
        "    nodes:",
        `      - { name: scan-01, url: "https://scan-01.contoso.com:8443", secret: "${inline.node}" }`,
        '      - { name: scan-02, url: "https://scan-02.contoso.com:8443", secret: env:SCAN02_SECRET }',
        "slack:",
        `  botToken: ${inline.botToken}`,
        `  signingSecret: ${inline.signingSecret}`,
        "  proxy: http://proxy.contoso.com:3128",
        "teams:",
        "  appId: 5f1c9a2e-7b3d-4c8e-a6f0-2d4b8e1c3a7f",
        `  appPassword: ${inline.appPassword}`,
        "store:",
        `  url: postgres://scannerbot:${inline.storePassword}@db.contoso.com:5432/scannerbot`,
        "",
      ].join("\n"),
    );
    const { code, stdout, stderr } = configCheck(file, { SCAN02_SECRET: "scan02-secret-from-the-environment" });
    expect(code).toBe(0);
    const output = stdout + stderr;
    for (const value of Object.values(inline)) expect(output).not.toContain(value);
    const warned = output
      .split("\n")
      .filter((line) => line.startsWith("warning: "))
      .map((line) => line.split(": ")[1]);
    expect(warned).toEqual([
      "clusters[0].nodes[0].secret",
      "slack.botToken",
      "slack.signingSecret",
      "teams.appPassword",
      "store.url",
    ]);
    expect(output).toContain("env:NAME");
  });

  it("tells a node agent's config from the bot's and names the command that checks it", () => {
    const { code, stderr } = configCheck("examples/agent.simulator.yml", {});
    expect(code).toBe(1);
    expect(stderr).toBe(
      "examples/agent.simulator.yml: 1 problem(s)\n" +
        "  (top level): this is a node agent's config (node, listen, backend), not the bot's: check it with `scanner-bot agent --config examples/agent.simulator.yml --check`\n",
    );
  });

  it("says nothing about secrets given as env: references", () => {
    const { code, stdout, stderr } = configCheck("test/fixtures/config/valid.yml", {
      SCANNER_PROD_SECRET: "prod-shared-secret-value-9f3e",
      SCANNER_EMEA_SECRET: "emea-shared-secret-value-1c2d",
    });
    expect(code).toBe(0);
    expect(stdout + stderr).not.toMatch(/written in the file;/);
  });
});
