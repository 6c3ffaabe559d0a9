import { createHmac } from "node:crypto";
import { readFileSync } from "node:fs";
import { createServer, type IncomingMessage, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import nock from "nock";
import { afterAll, beforeAll } from "vitest";
import { z } from "zod";
import { allCommands } from "../../commands/index.js";
import type { FleetClient } from "../../src/fleet/fleetClient.js";
import { silentLogger } from "../../src/foundation/logger.js";
import { reply } from "../../src/reply/reply.js";
import type { AnyCommand } from "../../src/routing/command.js";
import { defineCommand } from "../../src/routing/command.js";
import { createRouter, type Router } from "../../src/routing/router.js";

/** Test credentials: made up, never valid anywhere. */
export const signingSecret = "8f742231b10e8888abcd99e1a0c85a5f";
export const botToken = "xoxb-0000000000-test-token";
export const botId = "B0LAN0Z89";
export const botUserId = "U0LAN0Z89";

let requestSerial = 0;

/**
 * A fresh `trigger_id` / `event_id` value. Slack mints one per user invocation and per event, and the
 * adapter drops a second request carrying one it has seen (a re-delivery), so every new request needs its own.
 */
export function freshRequestId(prefix: string): string {
  requestSerial += 1;
  return `${prefix}${Date.now().toString(36)}${requestSerial}`;
}

/**
 * Reads a recorded Slack payload from test/fixtures/slack. Each call is a new logical request: a
 * `trigger_id` or `event_id` in it is replaced by a fresh one.
 */
export function fixture(name: string): Record<string, unknown> {
  const url = new URL(`../fixtures/slack/${name}.json`, import.meta.url);
  const payload = JSON.parse(readFileSync(url, "utf8")) as Record<string, unknown>;
  if (typeof payload.trigger_id === "string") payload.trigger_id = freshRequestId("13345224609.738474920.");
  if (typeof payload.event_id === "string") payload.event_id = freshRequestId("Ev");
  return payload;
}

/** Slack's request signature: v0=HMAC-SHA256(secret, `v0:{timestamp}:{body}`). */
export function signedHeaders(body: string, options: { secret?: string; timestamp?: number } = {}) {
  const timestamp = options.timestamp ?? Math.floor(Date.now() / 1000);
  const mac = createHmac("sha256", options.secret ?? signingSecret)
    .update(`v0:${timestamp}:${body}`)
    .digest("hex");
  return { "x-slack-request-timestamp": String(timestamp), "x-slack-signature": `v0=${mac}` };
}

export type Body = { kind: "form"; fields: Record<string, string> } | { kind: "json"; value: unknown };

/** The wire form Slack uses: slash commands form-encoded, interactions as `payload=`, events as JSON. */
export function encodeBody(body: Body): { text: string; contentType: string } {
  if (body.kind === "json") return { text: JSON.stringify(body.value), contentType: "application/json" };
  return { text: new URLSearchParams(body.fields).toString(), contentType: "application/x-www-form-urlencoded" };
}

/** Sends a request the way Slack does (signed unless told otherwise). */
export async function sendToSlackApp(
  url: string,
  body: Body,
  options: { sign?: boolean; secret?: string; timestamp?: number; headers?: Record<string, string> } = {},
): Promise<{ status: number; text: string }> {
  const { text, contentType } = encodeBody(body);
  const headers: Record<string, string> = {
    "content-type": contentType,
    ...(options.sign === false ? {} : signedHeaders(text, options)),
    ...options.headers,
  };
  const response = await fetch(url, { method: "POST", headers, body: text });
  return { status: response.status, text: await response.text() };
}

/** Polls until `check` passes (async Slack work finishes after the ack). */
export async function eventually<T>(check: () => T | undefined, timeoutMs = 5000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = check();
    if (value !== undefined && value !== false) return value;
    if (Date.now() > deadline) throw new Error("timed out waiting for the expected Slack traffic");
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

/** Reads a whole request body as text. */
export function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on("data", (chunk: Buffer) => chunks.push(chunk));
    req.on("end", () => resolve(Buffer.concat(chunks).toString("utf8")));
    req.on("error", reject);
  });
}

/** A loopback HTTP server standing in for Slack's response_url endpoints. */
export interface ResponseUrlServer {
  base: string;
  received: { path: string; body: Record<string, unknown> }[];
  close(): Promise<void>;
}

/** Starts the response_url stand-in on 127.0.0.1, port 0. */
export async function startResponseUrlServer(): Promise<ResponseUrlServer> {
  const received: ResponseUrlServer["received"] = [];
  const server: Server = createServer((req, res) => {
    void readBody(req).then((text) => {
      received.push({ path: req.url ?? "", body: JSON.parse(text) as Record<string, unknown> });
      res.writeHead(200, { "content-type": "text/plain" }).end("ok");
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    base: `http://127.0.0.1:${port}`,
    received,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

/**
 * For a test file: only loopback traffic while its tests run, and one response_url stand-in for all of them
 * (read it through the returned getter once the file's `beforeAll` has run).
 */
export function loopbackOnlyWithResponseUrls(): () => ResponseUrlServer {
  let hooks: ResponseUrlServer | undefined;
  beforeAll(async () => {
    nock.disableNetConnect();
    nock.enableNetConnect("127.0.0.1");
    hooks = await startResponseUrlServer();
  });
  afterAll(async () => {
    await hooks?.close();
    nock.enableNetConnect();
  });
  return () => {
    if (!hooks) throw new Error("the response_url stand-in starts in beforeAll");
    return hooks;
  };
}

/** One Web API call the adapter made, its arguments decoded. */
export interface ApiCall {
  method: string;
  args: Record<string, unknown>;
}

function decodeApiBody(body: unknown): Record<string, unknown> {
  const raw =
    typeof body === "string"
      ? Object.fromEntries(new URLSearchParams(body))
      : ((body ?? {}) as Record<string, unknown>);
  const args: Record<string, unknown> = { ...raw };
  for (const key of ["blocks", "view"]) {
    const value = args[key];
    if (typeof value === "string") args[key] = JSON.parse(value);
  }
  return args;
}

/**
 * Fakes https://slack.com/api/* with nock and records every call. `answer`
 * decides the reply per method (default: ok with a fresh ts).
 */
export function fakeSlackApi(
  answer: (call: ApiCall) => { status?: number; body: Record<string, unknown>; headers?: Record<string, string> } = (
    call,
  ) => ({
    body: { ok: true, channel: call.args.channel, ts: `1700000000.${String(Date.now() % 1e6).padStart(6, "0")}` },
  }),
  base = "https://slack.com",
): ApiCall[] {
  const calls: ApiCall[] = [];
  nock(base)
    .persist()
    .post(/^\/api\/[a-zA-Z.]+$/)
    .reply((uri, body) => {
      const call = { method: uri.replace(/^\/api\//, ""), args: decodeApiBody(body) };
      calls.push(call);
      const { status = 200, body: out, headers = {} } = answer(call);
      return [status, out, headers];
    });
  return calls;
}

/** The commands the tests add around the real ones: a slow `status`, a dangerous button and its target. */
export interface TestRouter {
  router: Router;
  /** Every line the adapter handed to the router, in order. */
  lines: string[];
  /** How often each test command's handler ran. */
  runs: Record<string, number>;
}

/** Builds a real router over the real commands plus small test commands. */
export function buildTestRouter(options: { statusDelayMs?: number; fleet?: FleetClient } = {}): TestRouter {
  const runs: Record<string, number> = { status: 0, restart: 0, explain: 0 };
  const status = defineCommand({
    name: "status",
    summary: "Fleet status (test).",
    usage: "status",
    help: "test",
    args: z.object({}),
    input: () => ({}),
    placeholder: () => reply("Checking 3 scanner nodes…").build(),
    run: async () => {
      runs.status = (runs.status ?? 0) + 1;
      await new Promise((resolve) => setTimeout(resolve, options.statusDelayMs ?? 20));
      return reply("3 scanner nodes, 1 needs attention", { status: "warn" })
        .heading("Scanner fleet")
        .table(
          ["Node", "State", "Last scan"],
          [
            { cells: ["FS-NODE-01", "Idle", "12m ago"], status: "ok" },
            { cells: ["FS-NODE-02", "Stalled", "3h ago"], status: "warn" },
          ],
        )
        .build();
    },
  });
  const nodes = defineCommand({
    name: "nodes",
    summary: "Offers a restart button (test).",
    usage: "nodes",
    help: "test",
    args: z.object({}),
    input: () => ({}),
    run: () =>
      reply("FS-NODE-02 is stalled")
        .status("warn", "FS-NODE-02 has not finished a scan in 3h")
        .actions([
          { label: "Restart scanner on FS-NODE-02", command: "restart FS-NODE-02", style: "danger" },
          { label: "Show status", command: "status" },
        ])
        .build(),
  });
  const restart = defineCommand({
    name: "restart",
    summary: "Restarts a node (test).",
    usage: "restart <node>",
    help: "test",
    args: z.object({ node: z.string().min(1) }),
    input: (line) => ({ node: line.positionals[0] }),
    run: ({ node }, { caller }) => {
      runs.restart = (runs.restart ?? 0) + 1;
      return reply(`Restarted the scanner on ${node} for ${caller.userId}`).build();
    },
  });
  const explain = defineCommand({
    name: "explain",
    summary: "Explains an error (test stand-in until the real one is registered).",
    usage: "explain <error text>",
    help: "test",
    args: z.object({ text: z.string().min(1) }),
    input: (line) => ({ text: line.rest }),
    run: ({ text }) => {
      runs.explain = (runs.explain ?? 0) + 1;
      return reply(`Explained: ${text.slice(0, 80)}`)
        .text("Check the scanner's SQL connection.")
        .build();
    },
  });
  // With a fleet the real `status` runs against it; without one a slow stand-in keeps the delayed path real.
  const tests: AnyCommand[] = [...(options.fleet ? [] : [status]), nodes, restart];
  if (!allCommands.some((c) => c.name === "explain")) tests.push(explain);
  const taken = new Set(tests.flatMap((c) => [c.name, ...(c.aliases ?? [])]));
  const real = allCommands.filter((c) => ![c.name, ...(c.aliases ?? [])].some((n) => taken.has(n)));
  const services = { now: () => new Date(), ...(options.fleet ? { fleet: options.fleet } : {}) };
  const base = createRouter([...real, ...tests], services, silentLogger());
  const lines: string[] = [];
  const router: Router = {
    ...base,
    find: base.find,
    dispatch: (line, caller, dispatchOptions) => {
      lines.push(line);
      return base.dispatch(line, caller, dispatchOptions);
    },
  };
  return { router, lines, runs };
}
