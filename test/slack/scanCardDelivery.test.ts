import nock from "nock";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { type SlackAdapter, startSlackAdapter } from "../../adapters/slack/slackAdapter.js";
import { slackSectionSchema } from "../../src/config/slackSection.js";
import { silentLogger } from "../../src/foundation/logger.js";
import { SqliteStore } from "../../src/store/sqliteStore.js";
import type { Watcher } from "../../src/watch/watcher.js";
import { buildWatcher, FakeClock, SimulatedFleet, subscribe } from "../watch/watchHarness.js";
import {
  type ApiCall,
  botId,
  botToken,
  botUserId,
  buildTestRouter,
  fakeSlackApi,
  signingSecret,
} from "./slackHarness.js";

/**
 * The live scan card as Slack's Web API receives it: the watcher over
 * simulated nodes on a fake clock, the real Slack Delivery (WebClient) and
 * https://slack.com faked with nock. One chat.postMessage for the card, then
 * chat.update of that ts; the stall alert as a thread reply under it; a card
 * someone deleted (message_not_found) posted again once.
 */

const minute = 60_000;
let adapter: SlackAdapter | undefined;
let store: SqliteStore | undefined;
let watcher: Watcher | undefined;

beforeAll(() => {
  nock.disableNetConnect();
  nock.enableNetConnect("127.0.0.1");
});
afterAll(() => {
  nock.enableNetConnect();
});
afterEach(async () => {
  await watcher?.stop();
  await adapter?.stop();
  await store?.close();
  nock.cleanAll();
});

async function setup(answer?: Parameters<typeof fakeSlackApi>[0]) {
  const calls = fakeSlackApi(answer);
  adapter = await startSlackAdapter({
    router: buildTestRouter().router,
    settings: slackSectionSchema.parse({ botToken, signingSecret, botId, botUserId }),
    logger: silentLogger(),
    port: 0,
    host: "127.0.0.1",
    retryConfig: { retries: 0 },
  });
  const clock = new FakeClock(Date.parse("2026-11-25T10:00:00.000Z"));
  store = new SqliteStore(":memory:");
  const fleet = new SimulatedFleet(clock, "contoso-prod", [
    { node: "scan-01", timeline: [{ atSeconds: 180, scenario: "stalled" }] },
    { node: "scan-02" },
  ]);
  watcher = buildWatcher(
    store,
    fleet,
    adapter.delivery,
    { stallAfter: 3 * minute },
    {
      progress: fleet.progress,
      deliveries: { slack: adapter.delivery },
    },
  );
  await subscribe(store, "C0SCANOPS");
  const run = async (minutes: number) => {
    for (let m = 0; m < minutes; m++) {
      await watcher?.pollAll();
      await watcher?.idle();
      clock.advance(minute);
    }
  };
  return { calls, run };
}

const header = (call: ApiCall | undefined) =>
  (call?.args.blocks as { type: string; text?: { text: string } }[] | undefined)?.find((b) => b.type === "header")?.text
    ?.text;

describe("the live scan card on Slack", () => {
  it("posts the card with chat.postMessage, edits that ts with chat.update, and threads the stall under it", async () => {
    let ts = 0;
    const { calls, run } = await setup((call) => ({
      body: { ok: true, channel: call.args.channel, ts: `1700000000.00000${++ts}` },
    }));
    await run(8);
    const [card, ...rest] = calls;
    expect(card?.method).toBe("chat.postMessage");
    expect(card?.args).toMatchObject({ channel: "C0SCANOPS" });
    expect(card?.args.thread_ts).toBeUndefined();
    expect(header(card)).toBe("Scan of contoso-prod");
    expect(String(card?.args.text)).toMatch(/^contoso-prod scanning: [\d,]+ files/);
    const cardTs = "1700000000.000001";
    const updates = rest.filter((c) => c.method === "chat.update");
    expect(updates.length).toBeGreaterThan(0);
    expect(updates.length).toBeLessThanOrEqual(8);
    for (const u of updates) expect(u.args).toMatchObject({ channel: "C0SCANOPS", ts: cardTs });
    expect(JSON.stringify(updates.at(-1)?.args.blocks)).toContain("scan-02");
    const stall = rest.find((c) => c.method === "chat.postMessage" && String(c.args.text).includes("stalled"));
    expect(stall?.args.thread_ts).toBe(cardTs);
    // Nothing else reached the channel itself.
    expect(calls.filter((c) => c.method === "chat.postMessage" && c.args.thread_ts === undefined)).toHaveLength(1);
  });

  it("posts a new card once when chat.update says message_not_found", async () => {
    let ts = 0;
    let refuse = 1;
    const { calls, run } = await setup((call) => {
      if (call.method === "chat.update" && refuse > 0) {
        refuse--;
        return { body: { ok: false, error: "message_not_found" } };
      }
      return { body: { ok: true, channel: call.args.channel, ts: `1700000000.00000${++ts}` } };
    });
    await run(4);
    const roots = calls.filter((c) => c.method === "chat.postMessage" && c.args.thread_ts === undefined);
    expect(roots).toHaveLength(2);
    expect(header(roots[1])).toBe("Scan of contoso-prod");
    const updates = calls.filter((c) => c.method === "chat.update");
    // The refused edit went to the first card; every later one to the new card.
    expect(updates[0]?.args.ts).toBe("1700000000.000001");
    expect(updates.slice(1).every((u) => u.args.ts === "1700000000.000002")).toBe(true);
    expect(updates.length).toBeGreaterThan(1);
  });
});
