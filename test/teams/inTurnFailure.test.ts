import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { z } from "zod";
import { silentLogger } from "../../src/foundation/logger.js";
import { reply } from "../../src/reply/reply.js";
import { defineCommand } from "../../src/routing/command.js";
import { createRouter } from "../../src/routing/router.js";
import {
  type ConnectorAnswer,
  type ConnectorCall,
  cardOf,
  fixture,
  heldSleep,
  startTestTeams,
  type TestTeams,
  waitFor,
  within,
} from "./teamsHarness.js";

const personalId = "a:1qpT7m0-personal-conversation-id";
const personalActivityId = "1732501234567";
const channelId = "19:4b1c2d3e4f5a6b7c8d9e0f1a2b3c4d5e@thread.tacv2";
const channelThread = `${channelId};messageid=1732501299001`;

const shape = (call: ConnectorCall | undefined) => `${call?.method} ${call?.path}`;

/** A connector that takes the request and never answers (the harness holds the connection open). */
const noAnswer: ConnectorAnswer = { status: 0, hang: true };
/** Far above the in-turn deadline set below, far below Teams' 15 s: only a turn held by a send misses it. */
const turnBoundMs = 5000;

describe("Teams replies that fail inside the incoming turn", () => {
  let teams: TestTeams;
  const clock = heldSleep();

  beforeAll(async () => {
    // A short in-turn deadline (production: 10s) so the never-answering connector costs the tests 300 ms.
    teams = await startTestTeams({
      auth: true,
      settings: { inTurnSendTimeout: 300 },
      delivery: { sleep: (ms) => clock.sleep(ms) },
    });
  });
  afterEach(async () => {
    clock.wakeAll();
    await teams.adapter.settled();
    clock.waits.length = 0;
  });
  afterAll(async () => {
    clock.wakeAll();
    await teams?.close();
  });

  /**
   * Posts an activity and returns the connector calls made by the time Teams got its HTTP answer;
   * fails if that answer is held past `turnBoundMs`.
   */
  async function postAndSnapshot(activity: Record<string, unknown>, ...answers: ConnectorAnswer[]) {
    const before = teams.connector.calls.length;
    teams.connector.answerNext(...answers);
    const res = await within(teams.post(activity), turnBoundMs, "Teams' HTTP answer");
    return { status: res.status, before, inTurn: teams.connector.calls.slice(before) };
  }

  it("answers Teams after one in-turn try on 429 Retry-After 20, then posts the reply once, after the wait", async () => {
    const pings = teams.runs.ping;
    const { status, before, inTurn } = await postAndSnapshot(
      { ...fixture("personal-message", teams.connector.url), text: "ping" },
      { status: 429, headers: { "retry-after": "20" } },
    );
    expect(status).toBe(200);
    // Exactly one try while Teams' request was open: no SDK retry slept 20 s in between.
    expect(inTurn.map(shape)).toEqual([`POST /v3/conversations/${personalId}/activities/${personalActivityId}`]);
    expect(teams.runs.ping).toBe(pings + 1);

    // The reply now waits out Retry-After in the background, with nothing sent meanwhile.
    await waitFor(() => clock.sleeping === 1);
    expect(clock.waits).toEqual([20_000]);
    expect(teams.connector.calls.length).toBe(before + 1);

    clock.wakeAll();
    await teams.adapter.settled();
    const later = teams.connector.calls.slice(before + 1);
    expect(later.map(shape)).toEqual([`POST /v3/conversations/${personalId}/activities`]);
    expect(JSON.stringify(cardOf(later[0]?.body ?? {}))).toContain("pong");
    expect(teams.runs.ping).toBe(pings + 1);
  });

  it.each<[string, ConnectorAnswer]>([
    ["503", { status: 503 }],
    ["a dropped connection", { status: 0, drop: true }],
    ["no answer within the in-turn deadline", noAnswer],
  ])("hands the reply to the background on %s and keeps it in the channel thread", async (_, failure) => {
    const activity = { ...fixture("channel-mention", teams.connector.url), text: "<at>scanner-bot</at> ping" };
    const { status, before, inTurn } = await postAndSnapshot(activity, failure);
    expect(status).toBe(200);
    expect(inTurn.map(shape)).toEqual([`POST /v3/conversations/${channelThread}/activities/1732501299001`]);
    // The bot gave up on a request that got no answer: nothing still holds the connector.
    await waitFor(() => teams.connector.hanging === 0);

    await waitFor(() => clock.sleeping === 1);
    // No Retry-After: the first backoff step.
    expect(clock.waits).toEqual([500]);
    clock.wakeAll();
    await teams.adapter.settled();
    const later = teams.connector.calls.slice(before + 1);
    expect(later.map(shape)).toEqual([`POST /v3/conversations/${channelThread}/activities`]);
    expect(JSON.stringify(cardOf(later[0]?.body ?? {}))).toContain("pong");
  });

  it.each<[string, ConnectorAnswer]>([
    ["429 Retry-After 20", { status: 429, headers: { "retry-after": "20" } }],
    ["no answer within the in-turn deadline", noAnswer],
  ])("drops a placeholder Teams did not take (%s) and posts the full answer once", async (_, failure) => {
    const { status, before, inTurn } = await postAndSnapshot(
      { ...fixture("personal-message", teams.connector.url), id: "1732501600000", text: "fleetcheck" },
      failure,
    );
    expect(status).toBe(200);
    // The first call is the placeholder; once the gate is open the answer may follow before the test reads this.
    expect(shape(inTurn[0])).toBe(`POST /v3/conversations/${personalId}/activities/1732501600000`);
    expect(JSON.stringify(cardOf(inTurn[0]?.body ?? {}))).toContain("checking 3 nodes…");

    teams.releaseSlow();
    await waitFor(() => teams.connector.calls.length > before + 1);
    await teams.adapter.settled();
    const calls = teams.connector.calls.slice(before);
    // Then a new message, not an update of a placeholder that never appeared; nothing else.
    expect(calls.map(shape)).toEqual([
      `POST /v3/conversations/${personalId}/activities/1732501600000`,
      `POST /v3/conversations/${personalId}/activities`,
    ]);
    expect(JSON.stringify(cardOf(calls[1]?.body ?? {}))).toContain("SCAN-NODE-02");
    expect(clock.waits).toEqual([]);
  });

  it("keeps 403 in the turn a failed turn: no background retry, the conversation stays", async () => {
    const { status, before, inTurn } = await postAndSnapshot(
      { ...fixture("personal-message", teams.connector.url), text: "ping" },
      { status: 403, body: { error: { code: "BotNotInConversationRoster" } } },
    );
    expect(status).toBe(200);
    await teams.adapter.settled();
    const calls = teams.connector.calls.slice(before);
    // The reply, then the turn-error notice; nothing handed to the proactive path.
    expect(calls.map(shape)).toEqual([
      `POST /v3/conversations/${personalId}/activities/${personalActivityId}`,
      `POST /v3/conversations/${personalId}/activities/${personalActivityId}`,
    ]);
    expect(inTurn).toHaveLength(2);
    expect(JSON.stringify(cardOf(calls[1]?.body ?? {}))).toContain("Something went wrong");
    expect(clock.waits).toEqual([]);
    expect(await teams.conversations.getConversation("teams", personalId)).toBeDefined();
  });
});

describe("a reply sent late in the turn", () => {
  let teams: TestTeams;
  const clock = heldSleep();
  let nowMs = Date.parse("2026-11-25T03:00:00Z");
  let release: () => void = () => undefined;
  let started = false;

  beforeAll(async () => {
    // A command with no placeholder that answers only when the test says so.
    const late = defineCommand({
      name: "late",
      summary: "Answers when released.",
      usage: "late",
      help: "test",
      args: z.object({}),
      input: () => ({}),
      run: async () => {
        started = true;
        await new Promise<void>((resolve) => {
          release = resolve;
        });
        return reply("late answer").text("late answer").build();
      },
    });
    const router = createRouter([late], { now: () => new Date(nowMs) }, silentLogger());
    // The production in-turn deadline (10 s): only the turn's shrinking budget can end this turn sooner.
    teams = await startTestTeams({
      auth: true,
      router,
      now: () => new Date(nowMs),
      delivery: { sleep: (ms) => clock.sleep(ms) },
    });
  });
  afterAll(async () => {
    clock.wakeAll();
    await teams?.close();
  });

  it("gets only what is left of Teams' 15 s, then goes to the background", async () => {
    const before = teams.connector.calls.length;
    teams.connector.answerNext(noAnswer);
    const answered = teams.post({ ...fixture("personal-message", teams.connector.url), text: "late" });
    await waitFor(() => started);
    // The command took 13.8 s of the turn: its reply may use the 250 ms floor, not the 10 s deadline.
    nowMs += 13_800;
    release();
    const res = await within(answered, turnBoundMs, "Teams' HTTP answer");
    expect(res.status).toBe(200);
    await waitFor(() => teams.connector.hanging === 0);
    await waitFor(() => clock.sleeping === 1);
    clock.wakeAll();
    await teams.adapter.settled();
    const calls = teams.connector.calls.slice(before);
    expect(calls.map(shape)).toEqual([
      `POST /v3/conversations/${personalId}/activities/${personalActivityId}`,
      `POST /v3/conversations/${personalId}/activities`,
    ]);
    expect(JSON.stringify(cardOf(calls[1]?.body ?? {}))).toContain("late answer");
  });
});
