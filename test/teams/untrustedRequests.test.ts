import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { pino } from "pino";
import { afterEach, describe, expect, it, vi } from "vitest";
import { keyMetadataRetryMs } from "../../adapters/teams/teamsAuthentication.js";
import { channelIssuer, fixture, startTestTeams, type TestTeams, testAppId } from "./teamsHarness.js";

/**
 * Requests the Teams endpoint cannot trust, seen from outside: signed activities while the Bot
 * Framework's key metadata cannot be fetched, and malformed activities in anonymous (Emulator) mode.
 * Each gets a 4xx and one structured log line; nothing reaches the console, and bad requests cannot
 * make the bot fetch the metadata once per request.
 */

const running: { teams?: TestTeams; metadata?: Server }[] = [];
afterEach(async () => {
  vi.restoreAllMocks();
  for (const { teams, metadata } of running.splice(0)) {
    await teams?.close();
    await new Promise<void>((resolve) => {
      if (!metadata) return resolve();
      metadata.close(() => resolve());
      metadata.closeAllConnections();
    });
  }
});

/** Everything written to the console or to stderr outside the structured log. */
function watchConsole(): string[] {
  const printed: string[] = [];
  for (const method of ["error", "warn", "log", "info"] as const) {
    vi.spyOn(console, method).mockImplementation((...args: unknown[]) => {
      printed.push(args.map(String).join(" "));
    });
  }
  return printed;
}

/** The adapter's log, one parsed JSON object per line. */
function structuredLog() {
  const lines: string[] = [];
  const logger = pino({ level: "info" }, { write: (line: string) => lines.push(line) });
  return { logger, entries: () => lines.map((line) => JSON.parse(line) as Record<string, unknown>) };
}

/** A metadata host that is down: every request is counted and its connection dropped (or answered 503). */
async function brokenMetadata(mode: "drop" | "503") {
  let requests = 0;
  const server = createServer((req, res) => {
    requests++;
    if (mode === "drop") req.socket.destroy();
    else res.writeHead(503).end("unavailable");
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/.well-known/openidconfiguration`;
  return {
    server,
    url,
    get requests() {
      return requests;
    },
  };
}

/** A token with the channel's issuer and the bot's audience, as any attacker can make (the signature is the check). */
async function plausibleToken(serviceUrl: string): Promise<string> {
  const { SignJWT, generateKeyPair } = await import("jose");
  const { privateKey } = await generateKeyPair("RS256");
  const now = Math.floor(Date.now() / 1000);
  return new SignJWT({ serviceurl: serviceUrl })
    .setProtectedHeader({ alg: "RS256", kid: "some-key", typ: "JWT" })
    .setIssuer(channelIssuer)
    .setAudience(testAppId)
    .setIssuedAt(now - 60)
    .setExpirationTime(now + 600)
    .sign(privateKey);
}

describe("Teams: signed activities while the key metadata cannot be fetched", () => {
  for (const mode of ["drop", "503"] as const) {
    it(`answers 401 with one log line each, and fetches the metadata once, not per request (${mode})`, async () => {
      const printed = watchConsole();
      const log = structuredLog();
      const metadata = await brokenMetadata(mode);
      const teams = await startTestTeams({
        auth: true,
        logger: log.logger,
        settings: {
          appId: testAppId,
          appPassword: "not-used-in-tests",
          endpoints: { channelOpenIdMetadataUrl: metadata.url, validateAuthority: false },
        },
      });
      running.push({ teams, metadata: metadata.server });
      const activity: Record<string, unknown> = { ...fixture("personal-message", teams.connector.url), text: "ping" };
      const token = await plausibleToken(String(activity.serviceUrl));
      const before = log.entries().length;

      const answers = [];
      for (let i = 0; i < 5; i++) answers.push(await teams.post(activity, token));
      answers.push(...(await Promise.all([1, 2, 3].map(() => teams.post(activity, token)))));

      expect(answers.map((a) => a.status)).toEqual(Array(8).fill(401));
      for (const answer of answers) expect(answer.body).toEqual({ message: "Unauthorized." });
      expect(metadata.requests).toBe(1);
      expect(teams.runs.ping).toBe(0);
      expect(printed).toEqual([]);
      const entries = log.entries().slice(before);
      expect(entries).toHaveLength(8);
      for (const entry of entries) {
        expect(entry.level).toBe(40);
        expect(JSON.stringify(entry)).not.toMatch(/\\n\s+at /);
      }
      expect(entries[0]?.msg).toMatch(/Teams request rejected/);
      expect(JSON.stringify(entries[0])).toMatch(/key metadata/i);
    }, 20_000);
  }
});

describe("Teams: key metadata that comes back", () => {
  it("is asked again once the retry pause is over, and a genuine token is accepted", async () => {
    watchConsole();
    let clock = Date.parse("2026-12-04T10:00:00Z");
    let target = "";
    let down = true;
    let requests = 0;
    const front = createServer((_req, res) => {
      requests++;
      if (down) res.writeHead(503).end();
      else res.writeHead(302, { location: target }).end();
    });
    await new Promise<void>((resolve) => front.listen(0, "127.0.0.1", resolve));
    const teams = await startTestTeams({
      auth: true,
      now: () => new Date(clock),
      settings: {
        endpoints: {
          channelOpenIdMetadataUrl: `http://127.0.0.1:${(front.address() as AddressInfo).port}/metadata`,
          validateAuthority: false,
        },
      },
    });
    running.push({ teams, metadata: front });
    target = teams.issuer?.metadataUrl ?? "";
    const activity: Record<string, unknown> = { ...fixture("personal-message", teams.connector.url), text: "ping" };

    expect((await teams.post(activity)).status).toBe(401);
    down = false;
    expect((await teams.post(activity)).status).toBe(401);
    expect(requests).toBe(1);
    clock += keyMetadataRetryMs;
    expect((await teams.post(activity)).status).toBe(200);
    expect(teams.runs.ping).toBe(1);
    expect(requests).toBe(2);
  });
});

describe("Teams without an app id (Emulator mode): malformed activities", () => {
  const malformed: [string, unknown][] = [
    ["the README's bare message", { type: "message" }],
    ["a message without a conversation", { type: "message", text: "status", serviceUrl: "http://127.0.0.1:9/" }],
    ["an activity without a type", { text: "status" }],
    ["a type that is not a string", { type: 42 }],
    ["a conversation that is a string", { type: "message", conversation: "x", from: { id: "u" } }],
  ];
  it.each(malformed)("%s: 400 and one log line, not a TypeError", async (_label, body) => {
    const printed = watchConsole();
    const log = structuredLog();
    const teams = await startTestTeams({ auth: false, logger: log.logger });
    running.push({ teams });
    const before = log.entries().length;
    const res = await fetch(teams.adapter.url, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify(body),
    });
    expect(res.status).toBe(400);
    const text = await res.text();
    expect(text).not.toMatch(/TypeError|\bat .*\.js/);
    expect((JSON.parse(text) as { message: string }).message).toMatch(/^The activity /);
    expect(printed).toEqual([]);
    const entries = log.entries().slice(before);
    expect(entries).toHaveLength(1);
    expect(entries[0]).toMatchObject({ level: 40, msg: "Teams request rejected: malformed activity" });
    expect(teams.runs).toEqual({ ping: 0, slow: 0, restart: 0, explain: 0 });
  });

  it("says what the README's curl check is missing", async () => {
    const teams = await startTestTeams({ auth: false });
    running.push({ teams });
    const res = await teams.post({ type: "message" });
    expect(res).toEqual({ status: 400, body: { message: "The activity has no serviceUrl." } });
  });

  it("still runs a well-formed activity", async () => {
    const teams = await startTestTeams({ auth: false });
    running.push({ teams });
    const res = await teams.post({ ...fixture("personal-message", teams.connector.url), text: "ping" });
    expect(res.status).toBe(200);
    expect(teams.runs.ping).toBe(1);
  });
});
