import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { z } from "zod";
import { type ActivityParties, isSharedConversation, personalChatTarget } from "../../adapters/teams/personalReply.js";
import { auditCommand } from "../../commands/audit.js";
import { helpCommand } from "../../commands/help.js";
import { createAccessPolicy } from "../../src/access/accessPolicy.js";
import { accessSectionSchema } from "../../src/config/accessSection.js";
import { silentLogger } from "../../src/foundation/logger.js";
import { reply } from "../../src/reply/reply.js";
import { defineCommand } from "../../src/routing/command.js";
import { createRouter } from "../../src/routing/router.js";
import { SqliteStore } from "../../src/store/sqliteStore.js";
import {
  type ConnectorAnswer,
  type ConnectorCall,
  cardOf,
  fixture,
  startTestTeams,
  type TestTeams,
  within,
} from "./teamsHarness.js";

const tenantId = "72f988bf-86f1-41af-91ab-2d7cd011db47";
const megan = { teamsId: "29:1Xk3pQ8z-user-personal-id", aad: "6e8f4b2a-1c3d-4e5f-9a0b-7c6d5e4f3a21" };
const alex = { teamsId: "29:2Yy-user-two", aad: "0b1c2d3e-4f5a-4b6c-8d7e-9f0a1b2c3d4e" };
const channelId = "19:4b1c2d3e4f5a6b7c8d9e0f1a2b3c4d5e@thread.tacv2";
const channelThread = `${channelId};messageid=1732501299001`;
const groupChatId = "19:meeting_group-chat-id@thread.v2";
const personalId = "a:1qpT7m0-personal-conversation-id";

/** What only the audit log holds: none of it may reach a channel or group chat. */
const auditSecrets = ["SCAN-NODE-07", "Dana Ops", "U0AUDITED7", "Audit log"];

const shape = (call: ConnectorCall | undefined) => `${call?.method} ${call?.path}`;
/** What a message shows: its card's JSON, or its text when the reply was only a line (placeholders, notes). */
const cardText = (call: ConnectorCall | undefined) =>
  call?.body.attachments ? JSON.stringify(cardOf(call.body)) : String(call?.body.text ?? "");

const openedChatSchema = z.object({
  isGroup: z.literal(false),
  bot: z.object({ id: z.string() }).loose(),
  members: z.array(z.object({ id: z.string() }).loose()).length(1),
  tenantId: z.string(),
  channelData: z.object({ tenant: z.object({ id: z.string() }) }),
});

/** The audit log of these tests: one entry by someone else, elsewhere. */
async function seededStore(): Promise<SqliteStore> {
  const store = new SqliteStore(":memory:");
  await store.record({
    at: "2026-11-25T02:00:00.000Z",
    platform: "slack",
    userId: "U0AUDITED7",
    userName: "Dana Ops",
    conversationId: "C0HIDDEN",
    command: "restart",
    line: "restart SCAN-NODE-07",
    outcome: "ok",
    durationMs: 1200,
  });
  return store;
}

/** The real router with `help`, the real `audit` (Megan and Alex are admins) and a personal answer behind a placeholder. */
function auditRouter(store: SqliteStore) {
  const slowAudit = defineCommand({
    name: "slowaudit",
    summary: "A personal answer behind a placeholder (test).",
    usage: "slowaudit",
    help: "test",
    args: z.object({}),
    input: () => ({}),
    placeholder: () => reply("Reading the audit log…", { visibility: "private" }).build(),
    run: () => reply("Audit log", { visibility: "personal" }).heading("Audit log").text("SCAN-NODE-07").build(),
  });
  const admins = [megan, alex].map((person) => ({ platform: "teams", user: person.aad }));
  return createRouter(
    [helpCommand, auditCommand, slowAudit],
    {
      now: () => new Date("2026-11-25T03:00:00Z"),
      store,
      audit: store,
      access: createAccessPolicy(accessSectionSchema.parse({ admins })),
    },
    silentLogger(),
  );
}

/** Posts a signed activity and returns every connector call it caused, background ones included (bounded). */
async function run(teams: TestTeams, activity: Record<string, unknown>): Promise<ConnectorCall[]> {
  const before = teams.connector.calls.length;
  const res = await within(teams.post(activity), 5000, "Teams' HTTP answer");
  expect(res.status).toBe(200);
  await within(teams.adapter.settled(), 5000, "the answers after the turn");
  return teams.connector.calls.slice(before);
}

const auditInChannel = (teams: TestTeams) => ({
  ...fixture("channel-mention", teams.connector.url),
  text: "<at>scanner-bot</at> audit",
});

describe("personal replies (audit) in Teams, over the real endpoint with signed requests", () => {
  let teams: TestTeams;
  let store: SqliteStore;

  beforeAll(async () => {
    store = await seededStore();
    teams = await startTestTeams({ auth: true, router: auditRouter(store) });
  });
  afterEach(() => teams.adapter.settled());
  afterAll(async () => {
    await teams?.close();
    await store?.close();
  });

  it.each([
    {
      where: "a channel",
      activity: () => ({ ...fixture("channel-mention", teams.connector.url), text: "<at>scanner-bot</at> audit" }),
      user: megan,
      conversationPath: channelThread,
      shared: channelId,
    },
    {
      where: "a group chat",
      activity: () => ({ ...fixture("groupchat-mention", teams.connector.url), text: "<at>scanner-bot</at> audit 5" }),
      user: alex,
      conversationPath: groupChatId,
      shared: groupChatId,
    },
  ])("sends audit typed in $where to the asker's 1:1 chat; the conversation gets only a note", async (c) => {
    const calls = await run(teams, c.activity());
    expect(calls.map(shape)).toEqual([
      "POST /v3/conversations",
      expect.stringMatching(/^POST \/v3\/conversations\/a:opened-chat-\d+\/activities$/),
      `POST /v3/conversations/${c.conversationPath}/activities`,
    ]);
    const [open, personal, note] = calls;

    // The 1:1 chat is opened for the asker alone, in their tenant, with the bot's own credentials.
    const opened = openedChatSchema.parse(open?.body);
    expect(opened.members[0]?.id).toBe(c.user.teamsId);
    expect(opened.tenantId).toBe(tenantId);
    expect(opened.channelData.tenant.id).toBe(tenantId);
    expect(opened.bot.id).toBe("28:00000000-0000-0000-0000-00000000b07a");
    expect(open?.headers.authorization).toBe("Bearer outgoing-test-token");

    // The audit card goes to the new chat ...
    const personalText = cardText(personal);
    for (const secret of auditSecrets) expect(personalText).toContain(secret);

    // ... and the shared conversation sees only where it went.
    const noteText = cardText(note);
    expect(noteText).toContain("I sent you the answer to `audit` in a private chat with me.");
    for (const call of calls.filter((x) => x.path.includes(c.shared))) {
      for (const secret of auditSecrets) expect(JSON.stringify(call.body)).not.toContain(secret);
    }

    // The new chat is remembered, so later proactive messages can reach it.
    const chatId = personal?.path.split("/")[3] ?? "";
    const stored = await teams.conversations.getConversation("teams", chatId);
    expect(stored?.reference).toMatchObject({
      serviceUrl: teams.connector.url,
      channelId: "msteams",
      conversation: { id: chatId, conversationType: "personal", tenantId },
      user: { id: c.user.teamsId },
    });
    const before = teams.connector.calls.length;
    await teams.adapter.delivery.post({ platform: "teams", conversationId: chatId }, reply("later").build());
    expect(teams.connector.calls.slice(before).map(shape)).toEqual([`POST /v3/conversations/${chatId}/activities`]);
  });

  it("says so in the channel, without the content, when the 1:1 chat cannot be opened (403)", async () => {
    const retiredBefore = teams.conversations.retired.length;
    teams.connector.answerNext({ status: 403 });
    const calls = await run(teams, auditInChannel(teams));
    expect(calls.map(shape)).toEqual(["POST /v3/conversations", `POST /v3/conversations/${channelThread}/activities`]);
    const noteText = cardText(calls[1]);
    expect(noteText).toContain("I can't show that here; open a chat with scanner-bot and run `audit` there.");
    for (const call of calls) {
      for (const secret of auditSecrets) expect(JSON.stringify(call.body)).not.toContain(secret);
    }
    // The 403 was about the person, not a conversation: nothing is retired, the channel stays reachable.
    expect(teams.conversations.retired.length).toBe(retiredBefore);
    expect(await teams.conversations.getConversation("teams", channelId)).toBeDefined();
  });

  it("says so in the channel when the chat opens but the post there is refused (403)", async () => {
    teams.connector.answerNext({ status: 200 }, { status: 403 });
    const calls = await run(teams, auditInChannel(teams));
    expect(calls.map(shape)).toEqual([
      "POST /v3/conversations",
      expect.stringMatching(/^POST \/v3\/conversations\/a:opened-chat-\d+\/activities$/),
      `POST /v3/conversations/${channelThread}/activities`,
    ]);
    expect(cardText(calls[2])).toContain("I can't show that here");
    for (const call of calls.filter((x) => x.path.includes(channelId))) {
      for (const secret of auditSecrets) expect(JSON.stringify(call.body)).not.toContain(secret);
    }
    const chatId = calls[1]?.path.split("/")[3] ?? "";
    expect(await teams.conversations.getConversation("teams", chatId)).toBeUndefined();
  });

  it("tries opening the chat again after a 429, like any proactive post", async () => {
    teams.connector.answerNext({ status: 429, headers: { "retry-after": "1" } });
    const calls = await run(teams, auditInChannel(teams));
    expect(calls.map(shape)).toEqual([
      "POST /v3/conversations",
      "POST /v3/conversations",
      expect.stringMatching(/^POST \/v3\/conversations\/a:opened-chat-\d+\/activities$/),
      `POST /v3/conversations/${channelThread}/activities`,
    ]);
    expect(cardText(calls[2])).toContain("SCAN-NODE-07");
    expect(cardText(calls[3])).toContain("in a private chat with me");
  });

  it("answers audit in a 1:1 chat right there, opening nothing", async () => {
    const calls = await run(teams, { ...fixture("personal-message", teams.connector.url), text: "audit" });
    expect(calls.map(shape)).toEqual([`POST /v3/conversations/${personalId}/activities/1732501234567`]);
    const text = cardText(calls[0]);
    for (const secret of auditSecrets) expect(text).toContain(secret);
  });

  it("replaces a placeholder in the channel with the note, and the answer goes to the 1:1 chat", async () => {
    const calls = await run(teams, {
      ...fixture("channel-mention", teams.connector.url),
      text: "<at>scanner-bot</at> slowaudit",
    });
    expect(calls.map(shape)).toEqual([
      `POST /v3/conversations/${channelThread}/activities/1732501299001`,
      "POST /v3/conversations",
      expect.stringMatching(/^POST \/v3\/conversations\/a:opened-chat-\d+\/activities$/),
      expect.stringMatching(/^PUT /),
    ]);
    // The update replaces the placeholder the channel already shows (same thread, the id Teams gave it).
    expect(calls[3]?.path.startsWith(`/v3/conversations/${channelThread}/activities/activity-`)).toBe(true);
    // A one-line placeholder goes as text (notifications and screen readers read it), not as a card with an empty body.
    expect(calls[0]?.body.attachments).toBeUndefined();
    expect(calls[0]?.body.text).toBe("Reading the audit log…");
    expect(cardText(calls[2])).toContain("SCAN-NODE-07");
    expect(cardText(calls[3])).toContain("I sent you the answer to `slowaudit` in a private chat with me.");
    expect(cardText(calls[3])).not.toContain("SCAN-NODE-07");
  });

  it("keeps private replies (help, errors) in the conversation they were asked in", async () => {
    const calls = await run(teams, {
      ...fixture("channel-mention", teams.connector.url),
      text: "<at>scanner-bot</at> help",
    });
    expect(calls.map(shape)).toEqual([`POST /v3/conversations/${channelThread}/activities/1732501299001`]);
    expect(cardText(calls[0])).toContain("audit");
  });
});

describe("opening a 1:1 chat is bounded like every connector call", () => {
  let teams: TestTeams;
  let store: SqliteStore;

  beforeAll(async () => {
    store = await seededStore();
    teams = await startTestTeams({
      auth: true,
      router: auditRouter(store),
      // A short per-try deadline (production: 30s) so a connector that never answers costs 2 × 300 ms.
      settings: { proactiveSendTimeout: 300 },
      delivery: { maxAttempts: 2, sleep: async () => undefined },
    });
  });
  afterAll(async () => {
    await teams?.close();
    await store?.close();
  });

  it.each<{ what: string; answer: ConnectorAnswer }>([
    // Tried exactly maxAttempts times: no SDK retries inside a try.
    { what: "answers 503", answer: { status: 503 } },
    // Each try ends at the per-try deadline instead of waiting forever.
    { what: "never answers", answer: { status: 0, hang: true } },
  ])("gives up opening the chat after maxAttempts when the connector $what, and says so", async ({ answer }) => {
    teams.connector.answerNext(answer, answer);
    const calls = await run(teams, auditInChannel(teams));
    expect(calls.map(shape)).toEqual([
      "POST /v3/conversations",
      "POST /v3/conversations",
      `POST /v3/conversations/${channelThread}/activities`,
    ]);
    expect(cardText(calls[2])).toContain("I can't show that here");
    for (const secret of auditSecrets) expect(JSON.stringify(calls[2]?.body)).not.toContain(secret);
  });
});

describe("which Teams conversations are shared", () => {
  it.each<[ActivityParties, boolean]>([
    [{ conversation: { conversationType: "personal" } }, false],
    [{ conversation: { conversationType: "channel" } }, true],
    [{ conversation: { conversationType: "groupChat" } }, true],
    // A type Teams may add later is treated as shared: a wrong guess costs a detour, not a leak.
    [{ conversation: { conversationType: "meeting" } }, true],
    [{ conversation: { isGroup: true } }, true],
    [{ conversation: {}, channelData: { team: { id: "19:t" } } }, true],
    [{ conversation: { isGroup: false } }, false],
  ])("%j → shared: %s", (activity, shared) => {
    expect(isSharedConversation(activity)).toBe(shared);
  });

  it("opens a 1:1 chat only with both the user and the tenant known", () => {
    const from = { id: megan.teamsId, name: "Megan Bowen", aadObjectId: megan.aad };
    expect(personalChatTarget({ from, channelData: { tenant: { id: tenantId } } })).toEqual({
      userId: megan.teamsId,
      userName: "Megan Bowen",
      aadObjectId: megan.aad,
      tenantId,
    });
    expect(personalChatTarget({ from, conversation: { tenantId } })?.tenantId).toBe(tenantId);
    expect(personalChatTarget({ from })).toBeUndefined();
    expect(personalChatTarget({ channelData: { tenant: { id: tenantId } } })).toBeUndefined();
  });
});
