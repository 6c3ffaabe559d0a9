import nock from "nock";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { type SlackAdapter, startSlackAdapter } from "../../adapters/slack/slackAdapter.js";
import { slackSectionSchema } from "../../src/config/slackSection.js";
import { silentLogger } from "../../src/foundation/logger.js";
import { reply } from "../../src/reply/reply.js";
import { SqliteStore } from "../../src/store/sqliteStore.js";
import { NotificationSender, type SendJob } from "../../src/watch/notificationSender.js";
import { botId, botToken, botUserId, buildTestRouter, fakeSlackApi, signingSecret } from "../slack/slackHarness.js";
import { startTestTeams, type TestTeams } from "../teams/teamsHarness.js";

/**
 * Slack's Web API and the Teams connector answering 429 and 5xx while the
 * watcher sends alerts: through the real adapters' deliveries and the real
 * notification sender over a SQLite store. A rate limit ends in exactly one
 * posted message; a persistent 5xx ends as a `failed` row with its reason
 * (no crash, no retry storm, the conversation kept), and the next alert goes
 * out once the platform is back.
 */

const alert = reply("scan-02 has stalled", { status: "warn" }).status("warn", "No progress for 45 minutes").build();
let seq = 0;
function job(platform: "slack" | "teams", conversationId: string): SendJob {
  seq += 1;
  return { key: `fault-${platform}-${seq}`, kind: "open", incidentId: null, platform, conversationId, reply: alert };
}

const channel = "C0SCANOPS";
let store: SqliteStore;

beforeAll(() => {
  nock.disableNetConnect();
  nock.enableNetConnect("127.0.0.1");
});
afterAll(() => nock.enableNetConnect());

describe("Slack Web API faults during alerts", () => {
  let adapter: SlackAdapter;
  afterEach(async () => {
    await adapter.stop();
    await store.close();
    nock.cleanAll();
  });

  async function sender(): Promise<NotificationSender> {
    store = new SqliteStore(":memory:");
    adapter = await startSlackAdapter({
      router: buildTestRouter().router,
      settings: slackSectionSchema.parse({ botToken, signingSecret, botId, botUserId }),
      logger: silentLogger(),
      port: 0,
      host: "127.0.0.1",
      retryConfig: { retries: 2, factor: 1, minTimeout: 1, maxTimeout: 5 },
    });
    return new NotificationSender({
      store,
      deliveries: { slack: adapter.delivery },
      logger: silentLogger(),
      now: () => new Date("2026-11-25T04:00:00Z"),
      channelIntervalMs: 0,
      sleep: async () => {},
    });
  }

  it("a 429 is waited out: one message posted, logged as sent", async () => {
    let n = 0;
    const calls = fakeSlackApi((call) => {
      n++;
      return n === 1
        ? { status: 429, body: { ok: false, error: "ratelimited" }, headers: { "retry-after": "0" } }
        : { body: { ok: true, channel: call.args.channel, ts: "1764043200.000100" } };
    });
    const send = await sender();
    const outcome = await send.send(job("slack", channel));
    expect(outcome).toMatchObject({ state: "sent", posted: { messageId: "1764043200.000100" } });
    expect(calls.filter((c) => c.method === "chat.postMessage")).toHaveLength(2);
    const [row] = await store.listNotifications();
    expect(row).toMatchObject({ state: "sent", messageId: "1764043200.000100", error: null });
  });

  it("persistent 5xx: bounded retries, a failed row with the reason, and the next alert goes out when Slack is back", async () => {
    let down = true;
    const calls = fakeSlackApi((call) =>
      down
        ? { status: 503, body: { ok: false, error: "service_unavailable" } }
        : { body: { ok: true, channel: call.args.channel, ts: "1764043260.000200" } },
    );
    const send = await sender();
    await store.addSubscription({
      platform: "slack",
      conversationId: channel,
      cluster: "*",
      notifyFinished: false,
      createdBy: "U1",
      createdAt: "2026-11-25T03:00:00.000Z",
    });
    const first = job("slack", channel);
    const failed = await send.send(first);
    expect(failed.state).toBe("failed");
    expect(calls).toHaveLength(3);
    const row = await store.getNotification(first.key);
    expect(row?.state).toBe("failed");
    expect(row?.error).toMatch(/^failed: /);
    expect(row?.error).not.toContain(botToken);
    expect(await store.listSubscriptions()).toHaveLength(1);

    down = false;
    const second = await send.send(job("slack", channel));
    expect(second.state).toBe("sent");
    expect((await store.listNotifications({ state: "sent" })).length).toBe(1);
  });
});

describe("Teams connector faults during alerts", () => {
  let teams: TestTeams;
  const waits: number[] = [];
  const conversationId = "19:0a1b2c3d4e5f60718293a4b5c6d7e8f9@thread.tacv2";

  beforeAll(async () => {
    teams = await startTestTeams({
      auth: false,
      delivery: {
        maxAttempts: 3,
        sleep: async (ms) => {
          waits.push(ms);
        },
      },
    });
  });
  afterAll(() => teams.close());
  afterEach(() => store.close());

  async function sender(): Promise<NotificationSender> {
    store = new SqliteStore(":memory:");
    await store.upsertConversation({
      platform: "teams",
      conversationId,
      reference: {
        serviceUrl: teams.connector.url,
        channelId: "msteams",
        conversation: { id: conversationId, conversationType: "channel", isGroup: true },
        bot: { id: "28:00000000-0000-0000-0000-00000000b07a", name: "scanner-bot" },
      },
      label: "Information Protection / scanner-ops",
      updatedAt: "2026-11-25T03:00:00.000Z",
    });
    return new NotificationSender({
      store,
      deliveries: { teams: teams.adapter.delivery },
      logger: silentLogger(),
      now: () => new Date("2026-11-25T04:00:00Z"),
      channelIntervalMs: 0,
      sleep: async (ms) => {
        waits.push(ms);
      },
    });
  }

  const posts = (from: number) =>
    teams.connector.calls.slice(from).filter((c) => c.method === "POST" && c.path.includes("/activities"));

  it("429s honour Retry-After and end in exactly one posted activity", async () => {
    const send = await sender();
    const before = teams.connector.calls.length;
    waits.length = 0;
    // More 429s than one delivery's attempts: the sender's own rate-limit retry takes over, still one message.
    teams.connector.answerNext(...Array.from({ length: 4 }, () => ({ status: 429, headers: { "retry-after": "2" } })), {
      status: 200,
    });
    const outcome = await send.send(job("teams", conversationId));
    expect(outcome.state).toBe("sent");
    expect(posts(before)).toHaveLength(5);
    expect(waits).toContain(2000);
    const [row] = await store.listNotifications();
    expect(row?.state).toBe("sent");
    expect(row?.messageId).toMatch(/^activity-/);
  });

  it("persistent 5xx: a failed row, the conversation kept, and the next alert delivered", async () => {
    const send = await sender();
    const before = teams.connector.calls.length;
    teams.connector.answerNext({ status: 502 }, { status: 503 }, { status: 500 });
    const first = job("teams", conversationId);
    const failed = await send.send(first);
    expect(failed.state).toBe("failed");
    expect(posts(before)).toHaveLength(3);
    expect((await store.getNotification(first.key))?.error).toMatch(/failed with 500 after 3 attempts/);
    expect(await store.getConversation("teams", conversationId)).toBeDefined();

    const second = await send.send(job("teams", conversationId));
    expect(second.state).toBe("sent");
    expect(posts(before)).toHaveLength(4);
  });
});
