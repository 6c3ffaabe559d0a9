import nock from "nock";
import { pino } from "pino";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { type SlackAdapter, startSlackAdapter } from "../../adapters/slack/slackAdapter.js";
import { slackSectionSchema } from "../../src/config/slackSection.js";
import {
  type ApiCall,
  botId,
  botToken,
  botUserId,
  buildTestRouter,
  eventually,
  fakeSlackApi,
  fixture,
  loopbackOnlyWithResponseUrls,
  type ResponseUrlServer,
  sendToSlackApp,
  signingSecret,
  type TestRouter,
} from "./slackHarness.js";

/**
 * Slack re-delivers: Events API retries (new timestamp and signature, `X-Slack-Retry-Num`, same event_id), and
 * any signed request can arrive again byte for byte inside the 5-minute window. Driven through the real HTTP
 * endpoint with signed requests; what counts is how often the router ran a command and what reached Slack.
 */

let adapter: SlackAdapter;
let url: string;
let hooks: ResponseUrlServer;
let test: TestRouter;
let api: ApiCall[];
let logs: string[];

const retry = (n: number, reason = "http_timeout") => ({
  headers: { "x-slack-retry-num": String(n), "x-slack-retry-reason": reason },
});
const nowSeconds = () => Math.floor(Date.now() / 1000);

const responseUrls = loopbackOnlyWithResponseUrls();

beforeEach(async () => {
  hooks = responseUrls();
  test = buildTestRouter({ statusDelayMs: 5 });
  api = fakeSlackApi();
  hooks.received.length = 0;
  logs = [];
  adapter = await startSlackAdapter({
    router: test.router,
    settings: slackSectionSchema.parse({ botToken, signingSecret, botId, botUserId, placeholderAfter: "10s" }),
    logger: pino({ level: "info" }, { write: (line: string) => logs.push(line) }),
    port: 0,
    host: "127.0.0.1",
    retryConfig: { retries: 0 },
  });
  url = adapter.url ?? "";
});

afterEach(async () => {
  await adapter.stop();
  nock.cleanAll();
});

/**
 * A fresh `/scanner help` (answered in its own ack, dispatched before that ack): once it is answered, every
 * request sent before it has been taken or dropped, so the counts below are final.
 */
async function settled(): Promise<void> {
  const help = {
    kind: "form" as const,
    fields: { ...(fixture("slash_command") as Record<string, string>), text: "help" },
  };
  expect((await sendToSlackApp(url, help)).status).toBe(200);
}

describe("Slack re-deliveries run nothing a second time", () => {
  it("a slash command retried (X-Slack-Retry-Num) and replayed byte for byte runs once and answers once", async () => {
    const command = {
      kind: "form" as const,
      fields: {
        ...(fixture("slash_command") as Record<string, string>),
        text: "status",
        response_url: `${hooks.base}/commands/retried`,
      },
    };
    const signedAt = nowSeconds();
    expect((await sendToSlackApp(url, command, { timestamp: signedAt })).status).toBe(200);
    await eventually(() => hooks.received.length === 1);
    // Two retries (newly signed, as Slack sends them) and three identical replays: all acknowledged.
    for (const n of [1, 2]) expect((await sendToSlackApp(url, command, retry(n))).status).toBe(200);
    for (let i = 0; i < 3; i++) {
      expect((await sendToSlackApp(url, command, { timestamp: signedAt })).status).toBe(200);
    }
    await settled();
    expect(test.runs.status).toBe(1);
    expect(test.lines.filter((line) => line === "status")).toHaveLength(1);
    expect(hooks.received.filter((r) => r.path === "/commands/retried")).toHaveLength(1);
    expect(logs.filter((l) => l.includes("ignored a re-delivered request"))).toHaveLength(5);
  });

  it("an event retried by Slack is answered once; a retry whose first delivery never arrived is answered", async () => {
    const mention = fixture("app_mention");
    expect((await sendToSlackApp(url, { kind: "json", value: mention })).status).toBe(200);
    for (const n of [1, 2, 3]) {
      expect((await sendToSlackApp(url, { kind: "json", value: mention }, retry(n))).status).toBe(200);
    }
    // Slack retried because the first delivery failed to connect: this copy is the only one, so it runs.
    const lost = fixture("app_mention");
    expect((await sendToSlackApp(url, { kind: "json", value: lost }, retry(1, "connection_failed"))).status).toBe(200);
    await settled();
    expect(test.lines.filter((line) => line.includes("SchemaMismatchException"))).toHaveLength(2);
    const answers = await eventually(() => {
      const posted = api.filter((c) => c.method === "chat.postMessage");
      return posted.length >= 2 ? posted : undefined;
    });
    expect(answers).toHaveLength(2);
  });

  it("a button click replayed runs its command once", async () => {
    const click = fixture("block_actions");
    const actions = click.actions as Record<string, unknown>[];
    const nodes = { kind: "form" as const, fields: { ...(fixture("slash_command") as Record<string, string>) } };
    nodes.fields.text = "nodes";
    const offered = await sendToSlackApp(url, nodes);
    const value = JSON.stringify(JSON.parse(offered.text)).match(/"value":"([^"]*restart[^"]*)"/)?.[1];
    expect(value).toBeDefined();
    const payload = { ...click, actions: [{ ...actions[0], value }] };
    const body = { kind: "form" as const, fields: { payload: JSON.stringify(payload) } };
    const signedAt = nowSeconds();
    for (let i = 0; i < 3; i++) expect((await sendToSlackApp(url, body, { timestamp: signedAt })).status).toBe(200);
    expect((await sendToSlackApp(url, body, retry(1))).status).toBe(200);
    await settled();
    expect(test.runs.restart).toBe(1);
    await eventually(() => api.some((c) => JSON.stringify(c.args).includes("Restarted the scanner")));
    expect(api.filter((c) => JSON.stringify(c.args).includes("Restarted the scanner"))).toHaveLength(1);
  });
});

describe("Slack request timestamps", () => {
  it("refuses a correctly signed request dated more than 5 minutes ahead (401, one log line), accepts fair skew", async () => {
    const command = () => ({
      kind: "form" as const,
      fields: { ...(fixture("slash_command") as Record<string, string>), text: "help" },
    });
    const ahead = await sendToSlackApp(url, command(), { timestamp: nowSeconds() + 6 * 60 });
    expect(ahead.status).toBe(401);
    expect(ahead.text).toBe("");
    expect(test.lines).toEqual([]);
    expect(logs.filter((l) => l.includes("timestamped more than 5 minutes in the future"))).toHaveLength(1);
    // As stale ones are (Bolt's own check):
    expect((await sendToSlackApp(url, command(), { timestamp: nowSeconds() - 6 * 60 })).status).toBe(401);
    // Clocks a little apart are fine.
    expect((await sendToSlackApp(url, command(), { timestamp: nowSeconds() + 60 })).status).toBe(200);
    expect(test.lines).toEqual(["help"]);
  });
});
