import { describe, expect, it } from "vitest";
import { botConfigSchema } from "../../src/config/botConfig.js";
import { configError, describeConfig, loadConfigFile, parseConfigText } from "../../src/config/configLoader.js";

const fixture = (name: string) => new URL(`../fixtures/config/${name}`, import.meta.url).pathname;
const env = { SCANNER_PROD_SECRET: "prod-shared-secret-4f9a2c", SCANNER_EMEA_SECRET: "emea-shared-secret-77b1d0" };

describe("config loader", () => {
  it("loads a valid file, resolving env secrets and durations", async () => {
    const result = await loadConfigFile(fixture("valid.yml"), env);
    if (!result.ok) throw new Error(result.problems.join("\n"));
    const { config } = result;
    expect(config.fleet).toMatchObject({ timeout: 8000, concurrency: 16, perClusterConcurrency: 4 });
    expect(config.clusters.map((c) => [c.name, c.timeoutMs, c.concurrency])).toEqual([
      ["contoso-prod", 12_000, undefined],
      ["contoso-emea", 60_000, 2],
    ]);
    expect(config.clusters[0]?.nodes[1]?.secret).toBe(env.SCANNER_PROD_SECRET);
    expect(config.clusters[0]?.channels).toEqual([{ platform: "slack", id: "C0123SCANNER" }]);
    expect(result.secretSources.map((s) => s.variable)).toEqual([
      "SCANNER_PROD_SECRET",
      "SCANNER_PROD_SECRET",
      "SCANNER_EMEA_SECRET",
    ]);
    const summary = describeConfig(config, result.secretSources).join("\n");
    expect(summary).toContain(
      "node scan-emea-01  http://10.40.2.17:8080/scanner-agent  secret from $SCANNER_EMEA_SECRET",
    );
    expect(summary).not.toContain(env.SCANNER_PROD_SECRET);
    expect(summary).not.toContain(env.SCANNER_EMEA_SECRET);
  });

  it("lists every problem by path in one go", async () => {
    const result = await loadConfigFile(fixture("many-problems.yml"), env);
    if (result.ok) throw new Error("expected problems");
    expect(result.problems).toEqual(
      expect.arrayContaining([
        'fleet.timeout: "soon" is not a duration (use e.g. 90s, 30m, 1h30m, 2d)',
        'fleet: unknown setting "concurency"',
        "clusters[0].timeoutMs: give either timeout or timeoutMs, not both",
        "clusters[0].nodes[0].url: must be an http:// or https:// URL of the node agent",
        expect.stringMatching(/^clusters\[0\]\.nodes\[1\]\.secret: must be at least 16 characters/),
        expect.stringMatching(/^clusters\[0\]\.channels\[0\]\.platform: /),
        "clusters[1].nodes: a cluster needs at least one node",
        expect.stringMatching(/^clusters\[2\]\.nodes\[0\]\.name: use letters, digits/),
        expect.stringMatching(/^clusters\[2\]\.name: "contoso-prod" is already used by cluster contoso-prod/),
        expect.stringMatching(/^clusters\[0\]\.nodes\[1\]\.name: "SCAN-PROD-01" is already used by node scan-prod-01/),
      ]),
    );
    expect(result.problems).toHaveLength(10);
    const error = configError("bot.yml", result.problems);
    expect(error.code).toBe("config_invalid");
    expect(error.userMessage).toMatch(/^bot\.yml has 10 problems:\n {2}- fleet\.timeout/);
    expect(error.userMessage).not.toMatch(/\bat .*\.ts:\d+/);
  });

  it("says what a switch or a duration must be, in words, not in the validator's terms", () => {
    const text =
      "clusters:\n  - name: lab\n    nodes:\n      - name: lab-01\n        url: http://127.0.0.1:9\n" +
      "        secret: env:LAB_SECRET\nwatch:\n  liveCard: maybe\n  notifyFinished: 1\n  pollInterval: 0s\n";
    const result = parseConfigText(text, { LAB_SECRET: "lab-secret-0123456789abcdef" });
    if (result.ok) throw new Error("expected problems");
    expect(result.problems).toEqual(
      expect.arrayContaining([
        "watch.liveCard: must be true or false",
        "watch.notifyFinished: must be true or false",
        'watch.pollInterval: "0s" is not a duration longer than zero (use e.g. 90s, 30m, 1h30m, 2d)',
      ]),
    );
    expect(result.problems.join("\n")).not.toContain("Invalid input");
  });

  it("reports YAML syntax errors with line and column", async () => {
    const result = await loadConfigFile(fixture("bad-yaml.yml"), env);
    if (result.ok) throw new Error("expected problems");
    expect(result.problems[0]).toMatch(/^line 7, column \d+: /);
  });

  it("names a missing secret variable without printing any secret", async () => {
    const result = await loadConfigFile(fixture("missing-secret.yml"), env);
    if (result.ok) throw new Error("expected problems");
    expect(result.problems).toEqual([
      'clusters[0].nodes[1].secret: environment variable SCANNER_PROD02_SECRET is not set (the value says "env:SCANNER_PROD02_SECRET")',
    ]);
    expect(result.problems.join("\n")).not.toContain(env.SCANNER_PROD_SECRET);
  });

  it("says so when the file is missing or not a mapping", async () => {
    const missing = await loadConfigFile(fixture("nope.yml"), env);
    expect(missing.ok || missing.problems[0]).toMatch(/cannot read the config file \(no such file\)/);
    const list = parseConfigText("- just\n- a list\n", env);
    expect(list.ok || list.problems).toEqual(["(top level): the file must be a YAML mapping (key: value lines)"]);
  });

  it("applies defaults to an empty file and rejects a node named like a cluster", () => {
    const empty = parseConfigText("", env);
    expect(empty.ok && empty.config.fleet).toEqual({
      timeout: 10_000,
      diagnosticsTimeout: 90_000,
      concurrency: 32,
      perClusterConcurrency: 8,
      maxReplyBytes: 4 * 1024 * 1024,
    });
    const clash = botConfigSchema.safeParse({
      clusters: [{ name: "prod", nodes: [{ name: "prod", url: "http://127.0.0.1:1", secret: "s".repeat(16) }] }],
    });
    expect(clash.success).toBe(false);
    expect(clash.error?.issues[0]?.path).toEqual(["clusters", 0, "nodes", 0, "name"]);
  });

  it("accepts the shipped example", async () => {
    const result = await loadConfigFile(new URL("../../examples/bot.yml", import.meta.url).pathname, env);
    expect(result.ok || result.problems).toBe(true);
  });
});
