import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { cardOf, fixture, startTestTeams, type TestTeams, waitFor } from "./teamsHarness.js";

const channelId = "19:4b1c2d3e4f5a6b7c8d9e0f1a2b3c4d5e@thread.tacv2";

/** Every `data` object carried by a Submit button anywhere in a card (ShowCards included). */
function submitData(node: unknown): unknown[] {
  if (Array.isArray(node)) return node.flatMap(submitData);
  if (!node || typeof node !== "object") return [];
  const record = node as Record<string, unknown>;
  const own = record.type === "Action.Submit" ? [record.data] : [];
  return [...own, ...Object.values(record).flatMap(submitData)];
}

describe("Teams conversations over the real endpoint (signed requests)", () => {
  let teams: TestTeams;
  let url: string;

  beforeAll(async () => {
    teams = await startTestTeams({ auth: true });
    url = teams.connector.url;
  });
  afterAll(() => teams?.close());

  it("answers `help` in a 1:1 chat with a 1.5 card and remembers the chat", async () => {
    const res = await teams.post(fixture("personal-message", url));
    expect(res.status).toBe(200);
    const call = teams.connector.calls.at(-1);
    expect(call?.path).toBe("/v3/conversations/a:1qpT7m0-personal-conversation-id/activities/1732501234567");
    const card = cardOf(call?.body ?? {});
    expect(card.version).toBe("1.5");
    expect(JSON.stringify(card)).toContain("help [command]");
    expect(JSON.stringify(card)).toContain("fleetcheck");
    const stored = await teams.conversations.getConversation("teams", "a:1qpT7m0-personal-conversation-id");
    expect(stored?.reference).toMatchObject({ serviceUrl: url, conversation: { conversationType: "personal" } });
  });

  it("strips the @mention in a channel, replies in the thread and remembers the channel without the thread id", async () => {
    const before = teams.runs.ping;
    const activity = { ...fixture("channel-mention", url), text: "<at>scanner-bot</at> ping" };
    const res = await teams.post(activity);
    expect(res.status).toBe(200);
    expect(teams.runs.ping).toBe(before + 1);
    const call = teams.connector.calls.at(-1);
    expect(call?.path).toBe(`/v3/conversations/${channelId};messageid=1732501299001/activities/1732501299001`);
    const stored = await teams.conversations.getConversation("teams", channelId);
    expect(stored?.label).toBe("Information Protection / scanner-ops");
    expect(stored?.reference).toMatchObject({ conversation: { id: channelId } });
  });

  it("explains an error pasted alone in a group chat (entities decoded, mention removed)", async () => {
    const explainsBefore = teams.runs.explain;
    const res = await teams.post(fixture("groupchat-mention", url));
    expect(res.status).toBe(200);
    const text = JSON.stringify(cardOf(teams.connector.calls.at(-1)?.body ?? {}));
    expect(text).not.toContain("I don't know the command");
    expect(text).not.toContain("<at>");
    if (teams.realExplain) {
      expect(text).toContain("Mismatched or outdated schema");
      expect(text).toContain("doesn't match the scanner version");
    } else {
      expect(teams.runs.explain).toBe(explainsBefore + 1);
      expect(text).toContain("doesn't match the scanner version on 'SQLPROD01'");
    }
  });

  it.each(["status", "diagnose SCAN-NODE-02", "errors SCAN-NODE-02 5"])(
    "routes `%s` to the real fleet command (no fleet configured here)",
    async (line) => {
      const res = await teams.post({ ...fixture("personal-message", url), text: line });
      expect(res.status).toBe(200);
      await waitFor(() => teams.connector.calls.some((c) => JSON.stringify(c.body).includes(line.split(" ")[0] ?? "")));
      const text = JSON.stringify(teams.connector.calls.at(-1)?.body);
      expect(text).not.toContain("I don't know the command");
      expect(text).toContain('"version":"1.5"');
    },
  );

  it("shows a placeholder at once, then updates it in place with the full answer", async () => {
    const callsBefore = teams.connector.calls.length;
    const res = await teams.post({ ...fixture("personal-message", url), id: "1732501500000", text: "fleetcheck" });
    // The HTTP turn ends while the command is still waiting on its gate.
    expect(res.status).toBe(200);
    expect(teams.runs.slow).toBe(1);
    const placeholder = teams.connector.calls[callsBefore];
    expect(placeholder?.method).toBe("POST");
    expect(JSON.stringify(cardOf(placeholder?.body ?? {}))).toContain("checking 3 nodes…");
    expect(teams.connector.calls.length).toBe(callsBefore + 1);

    teams.releaseSlow();
    await waitFor(() => teams.connector.calls.length >= callsBefore + 2);
    const update = teams.connector.calls[callsBefore + 1];
    const placeholderId = `activity-${callsBefore + 1}`;
    expect(update?.method).toBe("PUT");
    expect(update?.path).toBe(`/v3/conversations/a:1qpT7m0-personal-conversation-id/activities/${placeholderId}`);
    const card = cardOf(update?.body ?? {});
    expect(JSON.stringify(card)).toContain("SCAN-NODE-02");
    // Plain buttons submit their command; the dangerous one only inside a confirmation ShowCard.
    const data = submitData(card.body);
    expect(data).toContainEqual({ scannerCommand: "ping" });
    expect(data).toContainEqual({ scannerCommand: "restartsvc SCAN-NODE-02", confirmed: true });
    expect(data).not.toContainEqual({ scannerCommand: "restartsvc SCAN-NODE-02" });
    expect(JSON.stringify(card)).toContain("Action.ShowCard");
  });

  it("runs the confirmed button's command once", async () => {
    const before = teams.runs.restart;
    const res = await teams.post({
      ...fixture("card-submit", url),
      value: { scannerCommand: "restartsvc SCAN-NODE-02", confirmed: true },
    });
    expect(res.status).toBe(200);
    expect(teams.runs.restart).toBe(before + 1);
    expect(JSON.stringify(cardOf(teams.connector.calls.at(-1)?.body ?? {}))).toContain("Restarted SCAN-NODE-02");
  });

  it.each([
    [{ scannerCommand: "format-disk C:" }, "no command"],
    [{ scannerCommand: "ping\nrestartsvc SCAN-NODE-01" }, "not understood"],
    [{ scannerCommand: "" }, "not understood"],
    [{ scannerCommand: 42 }, "not understood"],
  ])("refuses button data %j without running anything", async (value, message) => {
    const before = { ...teams.runs };
    const res = await teams.post({ ...fixture("card-submit", url), value });
    expect(res.status).toBe(200);
    expect(teams.runs).toEqual(before);
    expect(JSON.stringify(cardOf(teams.connector.calls.at(-1)?.body ?? {}))).toContain(message);
  });

  it("answers the 'Explain this error' message action with the explanation card, HTML stripped", async () => {
    const callsBefore = teams.connector.calls.length;
    const res = await teams.post(fixture("message-action-submit", url));
    expect(res.status).toBe(200);
    const body = res.body as { task: { type: string; value: { card: { content: Record<string, unknown> } } } };
    expect(body.task.type).toBe("continue");
    expect(body.task.value.card.content.version).toBe("1.5");
    const text = JSON.stringify(body.task.value.card.content);
    expect(text).not.toMatch(/<p>|<strong>|&nbsp;|&lt;/);
    if (teams.realExplain) {
      expect(text).toContain("Policy missing");
    } else {
      expect(text).toContain("Scanner on SCAN-NODE-02 stopped with:");
      expect(text).toContain("Policy is missing. <MSIP>");
    }
    // The answer travels in the invoke response, not as a message.
    expect(teams.connector.calls.length).toBe(callsBefore);
  });

  it("answers the same action when Teams asks for its dialog first (composeExtension/fetchTask)", async () => {
    const res = await teams.post({ ...fixture("message-action-submit", url), name: "composeExtension/fetchTask" });
    expect(res.status).toBe(200);
    const body = res.body as { task: { value: { card: { content: Record<string, unknown> } } } };
    expect(body.task.value.card.content.version).toBe("1.5");
  });

  it("answers an unknown invoke with 501 and runs nothing", async () => {
    const before = { ...teams.runs };
    const res = await teams.post({ ...fixture("message-action-submit", url), name: "composeExtension/query" });
    expect(res.status).toBe(501);
    expect(teams.runs).toEqual(before);
  });

  it("remembers and forgets conversations on install, uninstall, bot added and bot removed", async () => {
    const teamConversation = "19:a1b2c3d4e5f60718293a4b5c6d7e8f90@thread.tacv2";
    const groupChat = "19:meeting_group-chat-id@thread.v2";
    expect((await teams.post(fixture("installation-add", url))).status).toBe(200);
    expect(await teams.conversations.getConversation("teams", teamConversation)).toBeDefined();
    expect((await teams.post(fixture("installation-remove", url))).status).toBe(200);
    expect(await teams.conversations.getConversation("teams", teamConversation)).toBeUndefined();

    await teams.conversations.retireConversation("teams", groupChat, "test reset");
    expect((await teams.post(fixture("members-added-groupchat", url))).status).toBe(200);
    expect(await teams.conversations.getConversation("teams", groupChat)).toBeDefined();
    expect((await teams.post(fixture("members-removed-groupchat", url))).status).toBe(200);
    expect(await teams.conversations.getConversation("teams", groupChat)).toBeUndefined();
    expect(teams.conversations.retired.map((r) => r.reason)).toEqual(
      expect.arrayContaining(["app uninstalled (remove)", "bot removed from conversation"]),
    );
  });

  it("answers malformed requests with clear HTTP errors and no stack", async () => {
    const post = (body: string, path = "") =>
      fetch(teams.adapter.url + path, { method: "POST", headers: { "content-type": "application/json" }, body });
    const notJson = await post("{nope");
    expect(notJson.status).toBe(400);
    expect(await notJson.text()).not.toContain(" at ");
    expect((await post("[1,2]")).status).toBe(400);
    expect((await post("x".repeat(2 * 1024 * 1024))).status).toBe(413);
    expect((await fetch(teams.adapter.url)).status).toBe(405);
    expect((await fetch(teams.adapter.url.replace("/api/messages", "/elsewhere"), { method: "POST" })).status).toBe(
      404,
    );
  });
});
