import { pino } from "pino";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { cardOf, fixture, startTestTeams, type TestTeams, testAppId } from "./teamsHarness.js";

describe("Teams endpoint with Bot Framework authentication", () => {
  let teams: TestTeams;
  let ping: Record<string, unknown>;

  beforeAll(async () => {
    // botbuilder prints every rejected token with console.error; keep the test output readable.
    vi.spyOn(console, "error").mockImplementation(() => undefined);
    teams = await startTestTeams({ auth: true });
    ping = { ...fixture("personal-message", teams.connector.url), text: "ping" };
  });
  afterAll(async () => {
    await teams?.close();
    vi.restoreAllMocks();
  });

  it("accepts a token signed by the channel's key and runs the command", async () => {
    const before = teams.runs.ping;
    const res = await teams.post(ping);
    expect(res.status).toBe(200);
    expect(teams.runs.ping).toBe(before + 1);
    const call = teams.connector.calls.at(-1);
    expect(call?.method).toBe("POST");
    expect(call?.path).toBe("/v3/conversations/a:1qpT7m0-personal-conversation-id/activities/1732501234567");
    expect(call?.headers.authorization).toBe("Bearer outgoing-test-token");
    expect(JSON.stringify(cardOf(call?.body ?? {}))).toContain("pong");
  });

  const rejected: [string, (issuer: NonNullable<TestTeams["issuer"]>, serviceUrl: string) => Promise<string | null>][] =
    [
      ["no token", async () => null],
      ["a malformed token", async () => "not.a.jwt"],
      ["an expired token", (issuer, serviceUrl) => issuer.sign({ serviceUrl, expiresInSeconds: -600 })],
      ["a token for another bot", (issuer, serviceUrl) => issuer.sign({ serviceUrl, audience: "another-app-id" })],
      [
        "a token from another issuer",
        (issuer, serviceUrl) => issuer.sign({ serviceUrl, issuer: "https://sts.windows.net/evil/" }),
      ],
      ["a token signed by another key", (issuer, serviceUrl) => issuer.sign({ serviceUrl, signWithOtherKey: true })],
      ["a token with an unknown key id", (issuer, serviceUrl) => issuer.sign({ serviceUrl, kid: "who-knows" })],
      [
        "a token for another serviceUrl",
        (issuer) => issuer.sign({ serviceUrl: "https://smba.trafficmanager.net/amer/" }),
      ],
    ];

  it.each(rejected)("rejects %s with 401 and runs nothing", async (_label, makeToken) => {
    const issuer = teams.issuer;
    if (!issuer) throw new Error("auth harness without issuer");
    const runsBefore = { ...teams.runs };
    const callsBefore = teams.connector.calls.length;
    const res = await teams.post(ping, await makeToken(issuer, String(ping.serviceUrl)));
    expect(res.status).toBe(401);
    expect(JSON.stringify(res.body)).not.toMatch(/stack|at .*\.js/);
    expect(teams.runs).toEqual(runsBefore);
    expect(teams.connector.calls.length).toBe(callsBefore);
  });

  it("answers a bare unsigned activity with 401, not a stack trace", async () => {
    const res = await fetch(teams.adapter.url, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ type: "message" }),
    });
    expect(res.status).toBe(401);
    expect(await res.text()).toBe(JSON.stringify({ message: "Unauthorized." }));
  });

  it("reports itself as authenticated", () => {
    expect(teams.adapter.anonymous).toBe(false);
    expect(testAppId).toMatch(/^[0-9a-f-]{36}$/);
  });
});

describe("Teams endpoint without an app id", () => {
  it("runs anonymously and says so loudly at start", async () => {
    const { startTeamsAdapter } = await import("../../adapters/teams/teamsAdapter.js");
    const { createRouter } = await import("../../src/routing/router.js");
    const { silentLogger } = await import("../../src/foundation/logger.js");
    const { InMemoryConversationStore } = await import("../../src/delivery/conversationStore.js");
    const { teamsSectionSchema } = await import("../../src/config/teamsSection.js");
    const { helpCommand } = await import("../../commands/help.js");
    const lines: string[] = [];
    const logged: string[] = [];
    const logger = pino({ level: "info" }, { write: (line: string) => logged.push(line) });
    const adapter = await startTeamsAdapter({
      router: createRouter([helpCommand], { now: () => new Date() }, silentLogger()),
      settings: teamsSectionSchema.parse({ host: "127.0.0.1", port: 0 }),
      conversations: new InMemoryConversationStore(),
      logger,
      console: (line) => lines.push(line),
    });
    try {
      expect(adapter.anonymous).toBe(true);
      expect(lines.join("\n")).toMatch(/WARNING: .*WITHOUT authentication/);
      const warning = logged.map((l) => JSON.parse(l) as { level: number; msg: string }).find((l) => l.level === 40);
      expect(warning?.msg).toMatch(/WITHOUT authentication/);
    } finally {
      await adapter.stop();
    }
  });
});
