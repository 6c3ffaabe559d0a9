import { readFileSync } from "node:fs";
import { createServer, type IncomingHttpHeaders, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { exportJWK, generateKeyPair, SignJWT } from "jose";
import { z } from "zod";
import {
  startTeamsAdapter,
  type TeamsAdapterHandle,
  type TeamsAdapterOptions,
} from "../../adapters/teams/teamsAdapter.js";
import { helpCommand } from "../../commands/help.js";
import { allCommands } from "../../commands/index.js";
import { type TeamsSectionInput, teamsSectionSchema } from "../../src/config/teamsSection.js";
import { InMemoryConversationStore } from "../../src/delivery/conversationStore.js";
import { type Logger, silentLogger } from "../../src/foundation/logger.js";
import { reply } from "../../src/reply/reply.js";
import type { AnyCommand } from "../../src/routing/command.js";
import { defineCommand } from "../../src/routing/command.js";
import { createRouter, type Router } from "../../src/routing/router.js";

/** The bot's app id in tests (a made-up GUID). */
export const testAppId = "5f1c9a2e-7b3d-4c8e-a6f0-2d4b8e1c3a7f";
export const channelIssuer = "https://api.botframework.com";

/** Reads a Teams activity fixture, pointing its serviceUrl at the stand-in connector. */
export function fixture(name: string, serviceUrl: string): Record<string, unknown> {
  const text = readFileSync(new URL(`../fixtures/teams/${name}.json`, import.meta.url), "utf8");
  return { ...(JSON.parse(text) as Record<string, unknown>), serviceUrl };
}

async function listen(server: Server): Promise<string> {
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

async function close(server: Server): Promise<void> {
  await new Promise<void>((resolve) => {
    server.close(() => resolve());
    server.closeAllConnections();
  });
}

export interface ConnectorCall {
  method: string;
  path: string;
  headers: IncomingHttpHeaders;
  body: Record<string, unknown>;
}
export interface ConnectorAnswer {
  /** Ignored with `drop` and `hang`. */
  status: number;
  /** Closes the connection without answering (a network error for the bot). */
  drop?: boolean;
  /** Takes the request and never answers; the connection stays open until the bot gives up (or `close`). */
  hang?: boolean;
  headers?: Record<string, string>;
  body?: unknown;
}

/**
 * A loopback server standing in for the Bot Connector at the activity's serviceUrl: activities answer
 * `{ id: "activity-<n>" }`, a new conversation (POST /v3/conversations) `{ id: "a:opened-chat-<n>" }`.
 */
export async function startConnector() {
  const calls: ConnectorCall[] = [];
  let answers: ConnectorAnswer[] = [];
  let next = 0;
  let hanging = 0;
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      const text = Buffer.concat(chunks).toString("utf8");
      const call = {
        method: req.method ?? "",
        path: decodeURIComponent(req.url ?? ""),
        headers: req.headers,
        body: text ? (JSON.parse(text) as Record<string, unknown>) : {},
      };
      calls.push(call);
      const answer = answers.shift() ?? { status: 200 };
      if (answer.drop) {
        req.socket.destroy();
        return;
      }
      if (answer.hang) {
        hanging++;
        res.once("close", () => hanging--);
        return;
      }
      next++;
      // POST /v3/conversations opens a conversation (a 1:1 chat): Teams answers with the conversation's id.
      const opened = call.method === "POST" && call.path === "/v3/conversations";
      const created = opened ? { id: `a:opened-chat-${next}` } : { id: `activity-${next}` };
      const body = answer.body ?? (answer.status < 300 ? created : { error: { code: "Failed" } });
      res.writeHead(answer.status, { "content-type": "application/json", ...answer.headers }).end(JSON.stringify(body));
    });
  });
  const url = `${await listen(server)}/`;
  return {
    url,
    calls,
    /** Requests taken with `hang` whose connection is still open (the bot has not given up on them). */
    get hanging() {
      return hanging;
    },
    /** Queues answers for the next calls; afterwards every call gets 200. */
    answerNext(...queued: ConnectorAnswer[]) {
      answers = [...answers, ...queued];
    },
    close: () => close(server),
  };
}
export type Connector = Awaited<ReturnType<typeof startConnector>>;

/** OpenID metadata and JWKS on loopback, plus a key to sign channel tokens with. */
export async function startTokenIssuer() {
  const kid = "test-signing-key";
  const { publicKey, privateKey } = await generateKeyPair("RS256", { extractable: true });
  const other = await generateKeyPair("RS256", { extractable: true });
  const jwk = { ...(await exportJWK(publicKey)), kid, use: "sig", alg: "RS256", endorsements: ["msteams"] };
  let base = "";
  let metadataRequests = 0;
  const server = createServer((req, res) => {
    if (req.url === "/.well-known/openidconfiguration") {
      metadataRequests++;
      res.writeHead(200, { "content-type": "application/json" }).end(
        JSON.stringify({
          issuer: channelIssuer,
          authorization_endpoint: `${base}/authorize`,
          jwks_uri: `${base}/keys`,
          id_token_signing_alg_values_supported: ["RS256"],
          token_endpoint_auth_methods_supported: ["private_key_jwt"],
        }),
      );
      return;
    }
    if (req.url === "/keys") {
      res.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify({ keys: [jwk] }));
      return;
    }
    res.writeHead(404).end();
  });
  base = await listen(server);

  interface TokenOptions {
    serviceUrl: string;
    audience?: string;
    issuer?: string;
    expiresInSeconds?: number;
    signWithOtherKey?: boolean;
    kid?: string;
  }
  return {
    metadataUrl: `${base}/.well-known/openidconfiguration`,
    get metadataRequests() {
      return metadataRequests;
    },
    /** A channel token the way the Bot Connector signs them: RS256, iss, aud = app id, serviceurl. */
    async sign(options: TokenOptions): Promise<string> {
      const now = Math.floor(Date.now() / 1000);
      return new SignJWT({ serviceurl: options.serviceUrl })
        .setProtectedHeader({ alg: "RS256", kid: options.kid ?? kid, typ: "JWT" })
        .setIssuer(options.issuer ?? channelIssuer)
        .setAudience(options.audience ?? testAppId)
        .setIssuedAt(now - 60)
        .setNotBefore(now - 60)
        .setExpirationTime(now + (options.expiresInSeconds ?? 600))
        .sign(options.signWithOtherKey ? other.privateKey : privateKey);
    },
    close: () => close(server),
  };
}
export type TokenIssuer = Awaited<ReturnType<typeof startTokenIssuer>>;

/** Commands that exercise the adapter through the real router. */
export function testCommands() {
  const runs = { ping: 0, slow: 0, restart: 0, explain: 0 };
  let releaseSlow: () => void = () => undefined;
  const slowGate = new Promise<void>((resolve) => {
    releaseSlow = resolve;
  });
  const ping = defineCommand({
    name: "ping",
    summary: "Answers pong.",
    usage: "ping",
    help: "test",
    args: z.object({}),
    input: () => ({}),
    run: () => {
      runs.ping++;
      return reply("pong").text("pong").build();
    },
  });
  const slow = defineCommand({
    name: "fleetcheck",
    summary: "A slow check with a placeholder.",
    usage: "fleetcheck",
    help: "test",
    args: z.object({}),
    input: () => ({}),
    placeholder: () => reply("checking 3 nodes…").text("checking 3 nodes…").build(),
    run: async () => {
      runs.slow++;
      await slowGate;
      return reply("3 nodes checked", { status: "warn" })
        .heading("Fleet check")
        .table(
          ["Node", "State"],
          [{ cells: ["SCAN-NODE-01", "Idle"] }, { cells: ["SCAN-NODE-02", "Stalled"], status: "warn" }],
        )
        .actions([
          { label: "Diagnose SCAN-NODE-02", command: "ping" },
          {
            label: "Restart service",
            command: "restartsvc SCAN-NODE-02",
            style: "danger",
            confirm: {
              title: "Restart the scanner service?",
              text: "Running scans on SCAN-NODE-02 stop.",
              confirmLabel: "Restart",
              denyLabel: "Cancel",
            },
          },
        ])
        .build();
    },
  });
  const restart = defineCommand({
    name: "restartsvc",
    summary: "A dangerous action.",
    usage: "restartsvc <node>",
    help: "test",
    args: z.object({ node: z.string().min(1) }),
    input: (line) => ({ node: line.positionals[0] }),
    run: ({ node }) => {
      runs.restart++;
      return reply(`restarted ${node}`).status("ok", `Restarted ${node}`).build();
    },
  });
  const explain = defineCommand({
    name: "explain",
    summary: "Explain (test stand-in).",
    usage: "explain <text>",
    help: "test",
    args: z.object({ text: z.string().min(1) }),
    input: (line) => ({ text: line.rest }),
    run: ({ text }) => {
      runs.explain++;
      return reply(`explained: ${text}`).heading("Explanation").code(text).build();
    },
  });
  // The real registry grows while the adapter's tests stand: keep out anything named like a test command.
  const testNames = new Set(["help", "ping", "fleetcheck", "restartsvc"]);
  const real = allCommands.filter((c) => ![c.name, ...(c.aliases ?? [])].some((n) => testNames.has(n)));
  const hasExplain = real.some((c) => c.name === "explain");
  const commands: AnyCommand[] = [helpCommand, ...real, ping, slow, restart, ...(hasExplain ? [] : [explain])];
  return { commands, runs, releaseSlow, realExplain: hasExplain };
}

export interface TestTeams {
  adapter: TeamsAdapterHandle;
  connector: Connector;
  issuer?: TokenIssuer;
  conversations: InMemoryConversationStore;
  runs: ReturnType<typeof testCommands>["runs"];
  releaseSlow: () => void;
  realExplain: boolean;
  /** Posts an activity to /api/messages; signs it when auth is on unless `token` is given (null: no header). */
  post(activity: Record<string, unknown>, token?: string | null): Promise<{ status: number; body: unknown }>;
  close(): Promise<void>;
}

/** Starts the adapter on loopback with a stand-in connector (and token issuer when `auth`). */
export async function startTestTeams(options: {
  auth: boolean;
  settings?: Partial<TeamsSectionInput>;
  delivery?: TeamsAdapterOptions["delivery"];
  /** A ready router (e.g. the real bot over the demo cluster) instead of the test commands. */
  router?: Router;
  /** The adapter's clock (conversation records, the turn's time budget). */
  now?: () => Date;
  /** Where the adapter logs; silent by default. */
  logger?: Logger;
}): Promise<TestTeams> {
  // The router first: if the registry is broken, no server has been started yet to leak.
  const { commands, runs, releaseSlow, realExplain } = testCommands();
  const router =
    options.router ?? createRouter(commands, { now: () => new Date("2026-11-25T03:00:00Z") }, silentLogger());
  const connector = await startConnector();
  const issuer = options.auth ? await startTokenIssuer() : undefined;
  const conversations = new InMemoryConversationStore();
  const settings = teamsSectionSchema.parse({
    host: "127.0.0.1",
    port: 0,
    ...(issuer
      ? {
          appId: testAppId,
          appPassword: "not-used-in-tests",
          endpoints: { channelOpenIdMetadataUrl: issuer.metadataUrl, validateAuthority: false },
        }
      : {}),
    ...options.settings,
  });
  const adapter = await startTeamsAdapter({
    router,
    settings,
    conversations,
    logger: options.logger ?? silentLogger(),
    outgoingToken: "outgoing-test-token",
    console: () => undefined,
    delivery: options.delivery ?? { sleep: async () => undefined },
    ...(options.now ? { now: options.now } : {}),
  });
  return {
    adapter,
    connector,
    ...(issuer ? { issuer } : {}),
    conversations,
    runs,
    releaseSlow,
    realExplain,
    async post(activity, token) {
      const headers: Record<string, string> = { "content-type": "application/json" };
      const bearer =
        token === undefined && issuer ? await issuer.sign({ serviceUrl: String(activity.serviceUrl) }) : token;
      if (bearer) headers.authorization = `Bearer ${bearer}`;
      const res = await fetch(adapter.url, { method: "POST", headers, body: JSON.stringify(activity) });
      const text = await res.text();
      return { status: res.status, body: text ? (JSON.parse(text) as unknown) : undefined };
    },
    async close() {
      releaseSlow();
      await adapter.stop();
      await connector.close();
      await issuer?.close();
    },
  };
}

/** TeamsDelivery's sleep, held until the test wakes it: what it was asked to wait, and no real waiting. */
export function heldSleep() {
  const waits: number[] = [];
  const sleepers: Array<() => void> = [];
  return {
    waits,
    get sleeping() {
      return sleepers.length;
    },
    sleep(ms: number): Promise<void> {
      waits.push(ms);
      return new Promise((resolve) => sleepers.push(resolve));
    },
    wakeAll() {
      for (const wake of sleepers.splice(0)) wake();
    },
  };
}

/** Settles like `work`, or fails naming `what` if it has not settled within `ms` (a bound, not a timing check). */
export async function within<T>(work: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const bound = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what} did not settle within ${ms} ms`)), ms);
  });
  try {
    return await Promise.race([work, bound]);
  } finally {
    clearTimeout(timer);
  }
}

/** Polls until `check` holds (bounded), for answers that arrive after the HTTP turn ended. */
export async function waitFor(check: () => boolean, timeoutMs = 5000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error("timed out waiting for the condition");
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

/** The Adaptive Card inside an activity the bot sent. */
export function cardOf(body: Record<string, unknown>): Record<string, unknown> {
  const attachments = z
    .array(z.object({ contentType: z.string(), content: z.record(z.string(), z.unknown()) }))
    .parse(body.attachments);
  const first = attachments[0];
  if (first?.contentType !== "application/vnd.microsoft.card.adaptive") throw new Error("no adaptive card");
  return first.content;
}
