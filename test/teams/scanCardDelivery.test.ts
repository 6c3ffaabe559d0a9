import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { SqliteStore } from "../../src/store/sqliteStore.js";
import { buildWatcher, FakeClock, SimulatedFleet } from "../watch/watchHarness.js";
import { type ConnectorCall, cardOf, startTestTeams, type TestTeams } from "./teamsHarness.js";

/**
 * The live scan card as the Bot Connector (a loopback stand-in) receives it:
 * the watcher over simulated nodes on a fake clock and the real Teams
 * Delivery. The card is one POST of an Adaptive Card, then PUTs of that
 * activity (`updateActivity`); a 404 to a PUT (the message was deleted)
 * brings one new POST.
 */

const channelId = "19:5c2d3e4f5a6b7c8d9e0f1a2b3c4d5e6f@thread.tacv2";
const minute = 60_000;

describe("the live scan card on Teams", () => {
  let teams: TestTeams;
  beforeAll(async () => {
    teams = await startTestTeams({ auth: true, delivery: { maxAttempts: 2, sleep: async () => undefined } });
  });
  afterAll(() => teams?.close());

  /** Runs the watcher; `calls` sees the connector's calls, each with the activity id its answer gave. */
  async function run(minutes: number, calls: (c: (ConnectorCall & { answerId: string })[]) => void) {
    const clock = new FakeClock(Date.parse("2026-11-25T10:00:00.000Z"));
    const store = new SqliteStore(":memory:");
    const reference = {
      serviceUrl: teams.connector.url,
      channelId: "msteams",
      conversation: { id: channelId, conversationType: "channel", isGroup: true },
      bot: { id: "28:00000000-0000-0000-0000-00000000b07a", name: "scanner-bot" },
    };
    for (const conversations of [store, teams.conversations]) {
      await conversations.upsertConversation({
        platform: "teams",
        conversationId: channelId,
        reference,
        updatedAt: "2026-11-25T09:00:00.000Z",
      });
    }
    await store.addSubscription({
      platform: "teams",
      conversationId: channelId,
      cluster: "*",
      notifyFinished: false,
      createdBy: "29:ana",
      createdAt: "2026-11-25T09:00:00.000Z",
    });
    const fleet = new SimulatedFleet(clock, "contoso-prod", [{ node: "scan-01" }, { node: "scan-02" }]);
    const watcher = buildWatcher(store, fleet, teams.adapter.delivery, {}, { progress: fleet.progress });
    const before = teams.connector.calls.length;
    try {
      for (let m = 0; m < minutes; m++) {
        await watcher.pollAll();
        await watcher.idle();
        clock.advance(minute);
      }
      // The stand-in numbers its answers across the file: `activity-<call number>`.
      calls(teams.connector.calls.slice(before).map((c, i) => ({ ...c, answerId: `activity-${before + i + 1}` })));
    } finally {
      await watcher.stop();
      await store.close();
    }
  }

  const texts = (call: ConnectorCall | undefined) =>
    JSON.stringify(cardOf((call?.body ?? {}) as Record<string, unknown>));

  it("posts an Adaptive Card once, then updates that activity in place", async () => {
    await run(4, (calls) => {
      const [post, ...edits] = calls;
      expect(post?.method).toBe("POST");
      expect(post?.path).toBe(`/v3/conversations/${channelId}/activities`);
      expect(texts(post)).toContain("Scan of contoso-prod");
      expect(texts(post)).toContain("scan-02");
      expect(edits.length).toBeGreaterThan(0);
      for (const e of edits) {
        expect(e.method).toBe("PUT");
        expect(e.path).toBe(`/v3/conversations/${channelId}/activities/${post?.answerId}`);
        expect(texts(e)).toContain("Scan of contoso-prod");
      }
    });
  });

  it("posts a new card once when Teams answers 404 to the update", async () => {
    teams.connector.answerNext({ status: 200 }, { status: 404, body: { error: { code: "NotFound" } } });
    await run(4, (calls) => {
      expect(calls.map((c) => c.method)).toEqual(["POST", "PUT", "POST", "PUT", "PUT"]);
      const [first, refused, second, ...later] = calls;
      expect(refused?.path).toBe(`/v3/conversations/${channelId}/activities/${first?.answerId}`);
      expect(texts(second)).toContain("Scan of contoso-prod");
      for (const e of later) expect(e.path).toBe(`/v3/conversations/${channelId}/activities/${second?.answerId}`);
    });
    // The conversation stays: a missing message is not a removed app.
    expect(await teams.conversations.getConversation("teams", channelId)).toBeDefined();
  });
});
