import { spawn } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it, vi } from "vitest";
import { parseConfigText } from "../../src/config/configLoader.js";
import { silentLogger } from "../../src/foundation/logger.js";
import { type Runtime, startRuntime } from "../../src/runtime/runtime.js";
import { slackWebhookJudge, teamsWorkflowJudge, WebhookStandIn, webhookOnlyConfigText } from "./webhookStandIns.js";

const root = new URL("../..", import.meta.url).pathname;

/** Runs the real CLI (asynchronously: the stand-ins answer from this process meanwhile). */
function cli(
  args: string[],
  env: Record<string, string>,
): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ["--import", "tsx", "src/cli.ts", ...args], {
      cwd: root,
      env: { PATH: process.env.PATH ?? "", ...env },
    });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (d: Buffer) => {
      stdout += d.toString();
    });
    child.stderr.on("data", (d: Buffer) => {
      stderr += d.toString();
    });
    const timer = setTimeout(() => child.kill("SIGKILL"), 30_000);
    child.on("close", (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });
}

describe("webhook channels through the public entry points", () => {
  const closers: (() => Promise<void> | void)[] = [];
  let runtime: Runtime | undefined;
  afterEach(async () => {
    await runtime?.stop("test over");
    runtime = undefined;
    for (const close of closers.splice(0).reverse()) await close();
  });

  async function fixture(text: string) {
    const slack = await WebhookStandIn.start(slackWebhookJudge, "/services/T0001/B0002/SeCrEtHoOk");
    const teams = await WebhookStandIn.start(
      teamsWorkflowJudge,
      "/workflows/abc/triggers/manual/paths/invoke?sig=S1gNaTuRe",
    );
    const dir = mkdtempSync(join(tmpdir(), "scanner-bot-hookcfg-"));
    const file = join(dir, "bot.yml");
    writeFileSync(file, text);
    closers.push(
      () => slack.close(),
      () => teams.close(),
      () => rmSync(dir, { recursive: true, force: true }),
    );
    const env = { OPS_SLACK_HOOK: slack.url, OPS_TEAMS_FLOW: teams.url, NODE_SECRET: "0123456789abcdef0123" };
    return { slack, teams, file, env };
  }

  it("config check accepts a webhook-only config and never prints a webhook URL", async () => {
    const { file, env } = await fixture(webhookOnlyConfigText());
    const { code, stdout } = await cli(["config", "check", file], env);
    expect(code).toBe(0);
    expect(stdout).toContain("channel slack-webhook ops-alerts  url from $OPS_SLACK_HOOK (notify only");
    expect(stdout).toMatch(/channel teams-workflow hook-[0-9a-f]{10} {2}url from \$OPS_TEAMS_FLOW/);
    expect(stdout).not.toContain("SeCrEtHoOk");
    expect(stdout).not.toContain("S1gNaTuRe");
  });

  it("config check refuses a webhook URL written in the file, without echoing it", async () => {
    const inline = "https://hooks.slack.com/services/T0001/B0002/InLiNeSeCrEt";
    const { file, env } = await fixture(
      `${webhookOnlyConfigText(`\n      - platform: slack-webhook\n        url: ${inline}`)}`,
    );
    const { code, stderr } = await cli(["config", "check", file], env);
    expect(code).toBe(1);
    expect(stderr).toContain(
      "clusters[0].channels[2].url: a webhook URL is a secret (whoever has it can post to the channel): write env:NAME",
    );
    expect(stderr).not.toContain("InLiNeSeCrEt");
  });

  it("refuses plain http off loopback and an unknown platform, by path", () => {
    const bad = parseConfigText(
      `clusters:\n  - name: a\n    channels:\n      - platform: teams-workflow\n        url: env:U\n      - platform: discord\n        id: x\n    nodes:\n      - name: n\n        url: http://127.0.0.1:9/\n        secret: env:S\n`,
      { U: "http://flows.example.com/hook", S: "0123456789abcdef0123" },
    );
    expect(bad.ok).toBe(false);
    expect(!bad.ok && bad.problems).toEqual([
      "clusters[0].channels[0].url: must be https:// (plain http only on loopback, for tests)",
      "clusters[0].channels[1].platform: platform must be slack, teams, slack-webhook or teams-workflow",
    ]);
  });

  it("webhook test posts to each webhook and reports one line each; a refusal fails the run", async () => {
    const { slack, teams, file, env } = await fixture(webhookOnlyConfigText());
    teams.script.push({ status: 400, body: '{"error":{"code":"TriggerInputSchemaMismatch"}}' });
    const { code, stdout } = await cli(["webhook", "test", "--config", file, "contoso-prod"], env);
    expect(code).toBe(1);
    const lines = stdout.trim().split("\n");
    expect(lines[0]).toMatch(/^ok {4}slack-webhook ops-alerts \(contoso-prod\): posted in \d+/);
    expect(lines[1]).toMatch(
      /^FAIL {2}teams-workflow hook-[0-9a-f]{10} \(contoso-prod\): Teams workflow refused the message: 400 \{"error":\{"code":"TriggerInputSchemaMismatch"\}\}$/,
    );
    expect(lines[2]).toBe("1 of 2 webhook(s) reached.");
    expect(stdout).not.toContain("SeCrEtHoOk");
    expect((slack.accepted()[0] as { text: string }).text).toBe(
      "scanner-bot test: alerts for contoso-prod will be posted here",
    );

    const again = await cli(["webhook", "test", "--config", file], env);
    expect(again.code).toBe(0);
    expect(again.stdout).toContain("2 of 2 webhook(s) reached.");
    expect(teams.accepted()).toHaveLength(1);
    // Two CLI starts: give a busy machine room (the bound only stops a hung run).
  }, 60_000);

  it("`scanner-bot run` with webhook channels only keeps polling until a signal stops it", async () => {
    const { slack, file, env } = await fixture("");
    writeFileSync(
      file,
      `${webhookOnlyConfigText()}\nstore:\n  path: ":memory:"\nwatch:\n  pollInterval: 100ms\n  unreachableAfterPolls: 3\n`,
    );
    // Nothing else holds the process open (no chat adapter, no operations endpoint): only the service itself.
    const child = spawn(process.execPath, ["--import", "tsx", "src/cli.ts", "run", "--config", file], {
      cwd: root,
      env: { PATH: process.env.PATH ?? "", LOG_LEVEL: "warn", ...env },
      stdio: ["ignore", "ignore", "pipe"],
    });
    let exitCode: number | null | undefined;
    const exited = new Promise<void>((resolve) =>
      child.on("exit", (code) => {
        exitCode = code;
        resolve();
      }),
    );
    closers.push(() => {
      if (exitCode === undefined) child.kill("SIGKILL");
    });
    // Three polls in a row before the alert: a service that stopped after its first poll never posts it.
    await Promise.race([
      exited.then(() => {
        throw new Error(`scanner-bot run exited (code ${exitCode}) before posting the alert`);
      }),
      vi.waitFor(() => expect(slack.accepted()).toHaveLength(1), { timeout: 30_000, interval: 50 }),
    ]);
    child.kill("SIGTERM");
    await exited;
    expect(exitCode).toBe(0);
  }, 60_000);

  it("runs as a service with webhook channels only (no slack or teams section): an unreachable agent is posted once", async () => {
    const { slack, teams, env } = await fixture("");
    const loaded = parseConfigText(
      `${webhookOnlyConfigText()}\nstore:\n  path: ":memory:"\nwatch:\n  pollInterval: 100ms\n  unreachableAfterPolls: 2\n`,
      env,
    );
    if (!loaded.ok) throw new Error(loaded.problems.join("\n"));
    runtime = await startRuntime({ config: loaded.config, logger: silentLogger() });
    await vi.waitFor(() => expect(slack.accepted().length + teams.accepted().length).toBe(2), {
      timeout: 15_000,
      interval: 50,
    });
    const text = (slack.accepted()[0] as { text: string }).text;
    expect(text).toMatch(/^scan-01: agent unreachable/);
    expect(JSON.stringify(teams.accepted()[0])).toContain("scan-01: agent unreachable");
  });
});
