import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { ConnectorTimeoutError } from "../../adapters/teams/connectorClient.js";
import { type ConversationAddress, DeliveryError } from "../../src/delivery/delivery.js";
import { reply } from "../../src/reply/reply.js";
import { startTestTeams, type TestTeams, waitFor, within } from "./teamsHarness.js";

const channelId = "19:4b1c2d3e4f5a6b7c8d9e0f1a2b3c4d5e@thread.tacv2";
const alert = reply("SCAN-NODE-02 has stalled", { status: "error" })
  .status("error", "SCAN-NODE-02 has made no progress for 45m")
  .build();

describe("Teams proactive delivery", () => {
  let teams: TestTeams;
  const sleeps: number[] = [];
  let to: ConversationAddress;

  beforeAll(async () => {
    teams = await startTestTeams({
      auth: true,
      // A short per-try deadline (production: 30s) so a connector that never answers costs 300 ms a try.
      settings: { proactiveSendTimeout: "300ms" },
      delivery: {
        maxAttempts: 3,
        sleep: async (ms) => {
          sleeps.push(ms);
        },
      },
    });
    to = { platform: "teams", conversationId: channelId };
  });
  afterAll(() => teams?.close());

  beforeEach(async () => {
    sleeps.length = 0;
    await teams.conversations.upsertConversation({
      platform: "teams",
      conversationId: channelId,
      reference: {
        serviceUrl: teams.connector.url,
        channelId: "msteams",
        conversation: { id: channelId, conversationType: "channel", isGroup: true },
        bot: { id: "28:00000000-0000-0000-0000-00000000b07a", name: "scanner-bot" },
      },
      label: "Information Protection / scanner-ops",
      updatedAt: "2026-11-25T03:00:00.000Z",
    });
  });

  it("posts a new message with the stored reference and updates it in place", async () => {
    const before = teams.connector.calls.length;
    const posted = await teams.adapter.delivery.post(to, alert);
    const call = teams.connector.calls[before];
    expect(call?.method).toBe("POST");
    expect(call?.path).toBe(`/v3/conversations/${channelId}/activities`);
    expect(call?.headers.authorization).toBe("Bearer outgoing-test-token");
    expect(posted).toMatchObject({ platform: "teams", conversationId: channelId, messageId: `activity-${before + 1}` });

    await teams.adapter.delivery.update(posted, reply("SCAN-NODE-02 recovered", { status: "ok" }).build());
    const update = teams.connector.calls[before + 1];
    expect(update?.method).toBe("PUT");
    expect(update?.path).toBe(`/v3/conversations/${channelId}/activities/${posted.messageId}`);
    expect(JSON.stringify(update?.body)).toContain("SCAN-NODE-02 recovered");
  });

  it("replies in a thread when asked to", async () => {
    const root = await teams.adapter.delivery.post(to, alert);
    await teams.adapter.delivery.post(to, reply("Still stalled after 1h").build(), { threadOf: root });
    expect(teams.connector.calls.at(-1)?.path).toBe(
      `/v3/conversations/${channelId};messageid=${root.messageId}/activities`,
    );
  });

  it("retires the conversation when Teams answers 403 (app removed)", async () => {
    teams.connector.answerNext({ status: 403, body: { error: { code: "BotNotInConversationRoster" } } });
    const before = teams.connector.calls.length;
    const failure = await teams.adapter.delivery.post(to, alert).catch((err: unknown) => err);
    expect(failure).toBeInstanceOf(DeliveryError);
    expect((failure as DeliveryError).kind).toBe("gone");
    expect(teams.connector.calls.length).toBe(before + 1);
    expect(await teams.conversations.getConversation("teams", channelId)).toBeUndefined();
    expect(teams.conversations.retired.at(-1)).toMatchObject({ conversationId: channelId });
    expect(teams.conversations.retired.at(-1)?.reason).toContain("403");
  });

  it("retries a 429 after the Retry-After delay, then succeeds", async () => {
    teams.connector.answerNext({ status: 429, headers: { "retry-after": "2" } });
    const before = teams.connector.calls.length;
    const posted = await teams.adapter.delivery.post(to, alert);
    expect(teams.connector.calls.length).toBe(before + 2);
    expect(sleeps).toEqual([2000]);
    expect(posted.messageId).toBe(`activity-${before + 2}`);
    expect(await teams.conversations.getConversation("teams", channelId)).toBeDefined();
  });

  it("gives up after the bounded attempts on persistent 5xx, keeping the conversation", async () => {
    teams.connector.answerNext({ status: 502 }, { status: 503 }, { status: 500 }, { status: 500 });
    const before = teams.connector.calls.length;
    const failure = await teams.adapter.delivery.post(to, alert).catch((err: unknown) => err);
    expect((failure as DeliveryError).kind).toBe("failed");
    expect(teams.connector.calls.length).toBe(before + 3);
    expect(sleeps).toEqual([500, 1000]);
    expect(await teams.conversations.getConversation("teams", channelId)).toBeDefined();
    // Drain the unused queued answer so later tests start clean.
    await teams.adapter.delivery.post(to, alert).catch(() => undefined);
  });

  it("retries a try the connector never answered, then posts once", async () => {
    teams.connector.answerNext({ status: 0, hang: true });
    const before = teams.connector.calls.length;
    const posted = await within(teams.adapter.delivery.post(to, alert), 5000, "the post");
    expect(teams.connector.calls.slice(before).map((c) => `${c.method} ${c.path}`)).toEqual([
      `POST /v3/conversations/${channelId}/activities`,
      `POST /v3/conversations/${channelId}/activities`,
    ]);
    // No answer is retried like a network error: the first backoff step.
    expect(sleeps).toEqual([500]);
    expect(posted.messageId).toMatch(/^activity-\d+$/);
    // The bot gave up on the first request rather than leaving it open.
    await waitFor(() => teams.connector.hanging === 0);
  });

  it("gives up after the bounded attempts when the connector never answers, saying so", async () => {
    teams.connector.answerNext(...Array.from({ length: 3 }, () => ({ status: 0, hang: true })));
    const before = teams.connector.calls.length;
    const failure = await within(
      teams.adapter.delivery.post(to, alert).catch((err: unknown) => err),
      5000,
      "the post",
    );
    expect(failure).toBeInstanceOf(DeliveryError);
    expect((failure as DeliveryError).kind).toBe("failed");
    expect((failure as DeliveryError).message).toContain("failed (no answer within 300ms) after 3 attempts.");
    expect((failure as DeliveryError).cause).toBeInstanceOf(ConnectorTimeoutError);
    expect(teams.connector.calls.length).toBe(before + 3);
    expect(sleeps).toEqual([500, 1000]);
    // No answer says nothing about the bot being removed: the conversation stays.
    expect(await teams.conversations.getConversation("teams", channelId)).toBeDefined();
  });

  it("reports rate limiting when 429 persists", async () => {
    teams.connector.answerNext(
      { status: 429, headers: { "retry-after": "1" } },
      { status: 429, headers: { "retry-after": "1" } },
      { status: 429, headers: { "retry-after": "7" } },
    );
    const failure = await teams.adapter.delivery.post(to, alert).catch((err: unknown) => err);
    expect((failure as DeliveryError).kind).toBe("rate_limited");
    expect((failure as DeliveryError).retryAfterMs).toBe(7000);
  });

  it("refuses a conversation it has no reference for", async () => {
    const failure = await teams.adapter.delivery
      .post({ platform: "teams", conversationId: "19:unknown@thread.tacv2" }, alert)
      .catch((err: unknown) => err);
    expect((failure as DeliveryError).kind).toBe("gone");
  });
});
