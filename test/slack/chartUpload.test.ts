import nock from "nock";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { type SlackAdapter, startSlackAdapter } from "../../adapters/slack/slackAdapter.js";
import { slackSectionSchema } from "../../src/config/slackSection.js";
import { silentLogger } from "../../src/foundation/logger.js";
import { createBot } from "../../src/runtime/bot.js";
import { fleetConfig, LoopbackAgents } from "../fleet/loopbackAgents.js";
import {
  type ApiCall,
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
} from "./slackHarness.js";

const agents = new LoopbackAgents();
let adapter: SlackAdapter;
let hooks: ResponseUrlServer;
let uploads: Buffer[];

const uploadUrl = "https://files.slack.com/upload/v1/CwABAAAAXApzY2FubmVyYm90";
const pngSignature = Buffer.from([0x89, 0x50, 0x4e, 0x47]);

beforeAll(async () => {
  nock.disableNetConnect();
  nock.enableNetConnect("127.0.0.1");
  hooks = await startResponseUrlServer();
});

afterAll(async () => {
  await hooks.close();
  nock.enableNetConnect();
});

beforeEach(async () => {
  hooks.received.length = 0;
  uploads = [];
  nock("https://files.slack.com")
    .persist()
    .post("/upload/v1/CwABAAAAXApzY2FubmVyYm90")
    .reply(200, (_uri, body) => {
      uploads.push(Buffer.from(body as string, "hex"));
      return "OK - 1";
    });
  const nodes = await Promise.all(["scan-01", "scan-02"].map((n) => agents.agent(n, { cluster: "contoso-prod" })));
  const fleet = agents.fleet(fleetConfig({ "contoso-prod": nodes }));
  adapter = await startSlackAdapter({
    router: createBot({ logger: silentLogger(), fleet }).router,
    settings: slackSectionSchema.parse({ botToken, signingSecret, botId, botUserId }),
    logger: silentLogger(),
    port: 0,
    host: "127.0.0.1",
    retryConfig: { retries: 0 },
  });
});

afterEach(async () => {
  await adapter.stop();
  await agents.closeAll();
  nock.cleanAll();
});

const slash = (text: string) => ({
  kind: "form" as const,
  fields: {
    ...(fixture("slash_command") as Record<string, string>),
    text,
    response_url: `${hooks.base}/commands/1234/5678`,
  },
});

function uploadAnswers(call: ApiCall) {
  if (call.method === "files.getUploadURLExternal") {
    return { body: { ok: true, upload_url: uploadUrl, file_id: "F0CHART01" } };
  }
  if (call.method === "files.completeUploadExternal") {
    return { body: { ok: true, files: [{ id: "F0CHART01", title: "chart" }] } };
  }
  return { body: { ok: true, ts: "1700000000.000100" } };
}

describe("Slack: the progress chart", () => {
  it("answers `progress` and uploads the chart PNG to the conversation with files.uploadV2", async () => {
    const api = fakeSlackApi(uploadAnswers);
    const slashFields = fixture("slash_command") as Record<string, string>;
    await sendToSlackApp(adapter.url ?? "", slash("progress"));
    const complete = await eventually(() => api.find((c) => c.method === "files.completeUploadExternal"));
    // On a busy machine a "checking…" placeholder may come first; the answer replaces it.
    const answer = hooks.received.at(-1)?.body;
    expect(answer).toMatchObject({ response_type: "in_channel" });
    // The message itself says a chart comes (Slack's image block would need a public URL).
    expect(JSON.stringify(answer?.blocks)).toContain(":bar_chart: Scanned files, cluster contoso-prod");
    const asked = api.find((c) => c.method === "files.getUploadURLExternal");
    expect(asked?.args).toMatchObject({ filename: "progress-contoso-prod.png" });
    expect(Number(asked?.args.length)).toBeGreaterThan(1000);
    expect(complete.args.channel_id).toBe(slashFields.channel_id);
    expect(JSON.parse(String(complete.args.files))).toEqual([
      { id: "F0CHART01", title: expect.stringContaining("Scanned files, cluster contoso-prod") },
    ]);
    expect(uploads).toHaveLength(1);
    expect(uploads[0]?.subarray(0, 4).equals(pngSignature) || uploads[0]?.includes(pngSignature)).toBe(true);
  });

  it("says what is missing when the workspace did not grant files:write, and keeps the text answer", async () => {
    const api = fakeSlackApi((call) =>
      call.method === "files.getUploadURLExternal"
        ? { body: { ok: false, error: "missing_scope", needed: "files:write", provided: "chat:write,commands" } }
        : uploadAnswers(call),
    );
    await sendToSlackApp(adapter.url ?? "", slash("progress contoso-prod"));
    const [answer, notice] = await eventually(() => (hooks.received.length >= 2 ? hooks.received : undefined));
    expect(answer?.body.text).toMatch(/^cluster contoso-prod: scanning/);
    expect(notice?.body).toMatchObject({ response_type: "ephemeral", replace_original: false });
    expect(notice?.body.text).toContain("lacks the `files:write` scope");
    expect(api.some((c) => c.method === "files.completeUploadExternal")).toBe(false);
    expect(uploads).toHaveLength(0);
  });
});
