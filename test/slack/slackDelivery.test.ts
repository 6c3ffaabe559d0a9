import nock from "nock";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { type SlackAdapter, startSlackAdapter } from "../../adapters/slack/slackAdapter.js";
import { slackSectionSchema } from "../../src/config/slackSection.js";
import { DeliveryError } from "../../src/delivery/delivery.js";
import { silentLogger } from "../../src/foundation/logger.js";
import { reply } from "../../src/reply/reply.js";
import { botId, botToken, botUserId, buildTestRouter, fakeSlackApi, signingSecret } from "./slackHarness.js";

const alert = reply("FS-NODE-02 has stalled", { status: "warn" }).status("warn", "No progress for 45 minutes").build();
const to = { platform: "slack" as const, conversationId: "C2147483705" };

let adapter: SlackAdapter;

async function start(): Promise<SlackAdapter> {
  adapter = await startSlackAdapter({
    router: buildTestRouter().router,
    settings: slackSectionSchema.parse({ botToken, signingSecret, botId, botUserId }),
    logger: silentLogger(),
    port: 0,
    host: "127.0.0.1",
    // Fast retries: the WebClient's own retry loop is what is under test, not its timing.
    retryConfig: { retries: 2, factor: 1, minTimeout: 1, maxTimeout: 5 },
  });
  return adapter;
}

beforeAll(() => {
  nock.disableNetConnect();
  nock.enableNetConnect("127.0.0.1");
});
afterAll(() => {
  nock.enableNetConnect();
});
afterEach(async () => {
  await adapter.stop();
  nock.cleanAll();
});

describe("Slack Delivery (proactive messages)", () => {
  it("posts with chat.postMessage, in a thread when asked, and updates with chat.update", async () => {
    const api = fakeSlackApi((call) => ({ body: { ok: true, channel: call.args.channel, ts: "1700000001.000100" } }));
    const { delivery } = await start();
    const root = await delivery.post(to, alert);
    expect(root).toEqual({ platform: "slack", conversationId: "C2147483705", messageId: "1700000001.000100" });
    const inThread = await delivery.post(to, alert, { threadOf: root });
    expect(inThread.threadId).toBe("1700000001.000100");
    await delivery.update(root, reply("FS-NODE-02 recovered", { status: "ok" }).build());
    expect(api.map((c) => c.method)).toEqual(["chat.postMessage", "chat.postMessage", "chat.update"]);
    expect(api[0]?.args).toMatchObject({ channel: "C2147483705", text: "FS-NODE-02 has stalled" });
    expect(api[0]?.args.thread_ts).toBeUndefined();
    expect(api[1]?.args.thread_ts).toBe("1700000001.000100");
    expect(api[2]?.args).toMatchObject({ ts: "1700000001.000100", text: "FS-NODE-02 recovered" });
  });

  it.each(["channel_not_found", "not_in_channel", "is_archived", "account_inactive"])(
    "maps %s to a DeliveryError of kind gone",
    async (error) => {
      fakeSlackApi(() => ({ body: { ok: false, error } }));
      const { delivery } = await start();
      const failure = await delivery.post(to, alert).catch((e: unknown) => e);
      expect(failure).toBeInstanceOf(DeliveryError);
      expect((failure as DeliveryError).kind).toBe("gone");
    },
  );

  it("lets the WebClient wait out a 429 (Retry-After) and retry", async () => {
    let calls = 0;
    fakeSlackApi(() => {
      calls++;
      return calls === 1
        ? { status: 429, body: { ok: false, error: "ratelimited" }, headers: { "retry-after": "0" } }
        : { body: { ok: true, channel: "C2147483705", ts: "1700000002.000200" } };
    });
    const { delivery } = await start();
    const posted = await delivery.post(to, alert);
    expect(posted.messageId).toBe("1700000002.000200");
    expect(calls).toBe(2);
  });

  it("reports other Slack errors as failed, without the token", async () => {
    fakeSlackApi(() => ({ body: { ok: false, error: "invalid_blocks" } }));
    const { delivery } = await start();
    const failure = (await delivery
      .update({ ...to, messageId: "1.2" }, alert)
      .catch((e: unknown) => e)) as DeliveryError;
    expect(failure.kind).toBe("failed");
    expect(failure.message).toBe("Slack: invalid_blocks");
    expect(failure.message).not.toContain(botToken);
  });
});
