import nock from "nock";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type SlackAdapter, startSlackAdapter } from "../../adapters/slack/slackAdapter.js";
import { InMemoryAuditSink } from "../../src/access/audit.js";
import { slackSectionSchema } from "../../src/config/slackSection.js";
import { BotError } from "../../src/foundation/botError.js";
import { createLogger } from "../../src/foundation/logger.js";
import { createBot } from "../../src/runtime/bot.js";
import { fleetConfig, LoopbackAgents } from "../fleet/loopbackAgents.js";
import {
  botId,
  botToken,
  botUserId,
  eventually,
  fakeSlackApi,
  fixture,
  type ResponseUrlServer,
  sendToSlackApp,
  signingSecret,
  startResponseUrlServer,
} from "../slack/slackHarness.js";

/**
 * Secrets typed by a user or sent by an agent, through signed Slack requests to the real bot over real
 * agents: none may reach a reply, the audit log or the bot's log. Each carries a marker that must vanish.
 */

const typedSecret = "Hunter2-Typed-7781";
const powershellSecret = "Hunter2-Probe-5523";
const agentSecret = "Qx8Q~Zr4vT1mN6bH2kL9pW3sD7fG5jC0aE1yU";

let hooks: ResponseUrlServer;
let agents: LoopbackAgents;
let adapter: SlackAdapter;
let url: string;
const audit = new InMemoryAuditSink();
const logLines: string[] = [];

beforeAll(async () => {
  nock.disableNetConnect();
  nock.enableNetConnect("127.0.0.1");
  fakeSlackApi();
  hooks = await startResponseUrlServer();
  agents = new LoopbackAgents();
  // A real agent whose probe fails with the PowerShell exception text the agent passes on.
  const failingProbe = await agents.agent("scan-01", {
    cluster: "prod",
    backend: (sim) => ({
      ...sim,
      status: async () => {
        throw new BotError(
          "probe_failed",
          `Exception calling "Open": Login failed. Server=sql01;Database=AIPScanner;User Id=scanner;Password=${powershellSecret};`,
        );
      },
    }),
  });
  // Something at the agent's address answering 5xx with its own words.
  const failingAgent = await agents.answering(
    "scan-02",
    JSON.stringify({
      error: { code: "probe_failed", message: `Set-AIPAuthentication -AppId 1 -AppSecret ${agentSecret} failed` },
    }),
    503,
  );
  const logger = createLogger({ level: "debug", destination: { write: (line: string) => logLines.push(line) } });
  const { router } = createBot({
    logger,
    fleet: agents.fleet(fleetConfig({ prod: [failingProbe, failingAgent] })),
    extraServices: { audit },
  });
  adapter = await startSlackAdapter({
    router,
    settings: slackSectionSchema.parse({ botToken, signingSecret, botId, botUserId }),
    logger,
    port: 0,
    host: "127.0.0.1",
    retryConfig: { retries: 0 },
  });
  url = adapter.url ?? "";
});

afterAll(async () => {
  await adapter?.stop();
  await agents?.closeAll();
  await hooks?.close();
  nock.cleanAll();
  nock.enableNetConnect();
});

/** Sends one signed slash command; everything Slack got back for it (the ack and response_url posts). */
async function slash(text: string, answers: number): Promise<string> {
  const before = hooks.received.length;
  const fields = { ...(fixture("slash_command") as Record<string, string>), text, response_url: `${hooks.base}/r/1` };
  const ack = await sendToSlackApp(url, { kind: "form", fields });
  expect(ack.status).toBe(200);
  const posted = ack.text
    ? []
    : await eventually(() => (hooks.received.length >= before + answers ? hooks.received.slice(before) : undefined));
  return [ack.text, ...posted.map((p) => JSON.stringify(p.body))].join("\n");
}

describe("secrets in what users type and agents answer", () => {
  it("a secret typed as a node name is not echoed in the reply", async () => {
    const seen = await slash(`status Password=${typedSecret}`, 1);
    expect(seen).toMatch(/status|node|cluster/i);
    expect(seen).not.toContain(typedSecret);
    expect(seen).toContain(
      "`Password=[REDACTED:connection-string-password]`. Clusters: prod. Nodes: scan-01, scan-02.",
    );
  });

  it("PowerShell exception text from an agent is redacted before it reaches the channel", async () => {
    const seen = await slash("status scan-01", 1);
    expect(seen).toContain("scan-01");
    expect(seen).not.toContain(powershellSecret);
  });

  it("an agent's 5xx body is redacted before it reaches the channel", async () => {
    const seen = await slash("status scan-02", 1);
    expect(seen).toContain("scan-02");
    expect(seen).toContain("HTTP 503");
    expect(seen).not.toContain(agentSecret);
  });

  it("neither the audit log nor the bot's log keeps any of them", async () => {
    await eventually(() => (audit.entries.length >= 3 ? true : undefined));
    const audited = JSON.stringify(audit.entries);
    const logged = logLines.join("\n");
    for (const secret of [typedSecret, powershellSecret, agentSecret]) {
      expect(audited).not.toContain(secret);
      expect(logged).not.toContain(secret);
    }
    expect(audited).toContain("[REDACTED:");
  });

  it("a secret quoted in a log message or an error's message and stack is redacted, and the line stays JSON", () => {
    const lines: string[] = [];
    const logger = createLogger({ destination: { write: (line: string) => lines.push(line) } });
    const err = new Error(`Login failed; Password=${typedSecret}; "quoted"`);
    logger.warn({ err, line: `status Password=${typedSecret}` }, `could not run status -AppSecret ${agentSecret}`);
    expect(lines).toHaveLength(1);
    const entry = JSON.parse(lines[0] ?? "") as { msg: string; line: string; err: { message: string; stack: string } };
    expect(JSON.stringify(entry)).not.toMatch(new RegExp(`${typedSecret}|${agentSecret.replace("~", "\\~")}`));
    expect(entry.msg).toBe("could not run status -AppSecret [REDACTED:powershell-secret-argument]");
    expect(entry.err.stack).toContain("Password=[REDACTED:connection-string-password]");
  });
});
