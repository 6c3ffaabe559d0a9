import { type ChildProcess, spawn } from "node:child_process";
import { mkdtemp, rm } from "node:fs/promises";
import { createServer, request, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import BetterSqlite3 from "better-sqlite3";
import { afterAll, beforeAll } from "vitest";
import type { SimulatorScenario } from "../../agent/simulator/scannerSimulator.js";
import { LoopbackAgents, type LoopbackNode } from "../fleet/loopbackAgents.js";
import { readBody } from "../slack/slackHarness.js";
import { until } from "../support/until.js";

/**
 * The pieces of the process-level watcher tests: the bot's watcher in a child
 * process (watcherProcess.ts through tsx), loopback stand-ins for Slack's Web
 * API and for an incoming webhook, agents that can be switched off and on, and the notification log read
 * from outside. Every wait is on something observable (a post, a poll served),
 * bounded by a generous deadline, never a fixed sleep.
 */

const root = new URL("../..", import.meta.url).pathname;

/**
 * What a process test file shares: loopback agents, the child processes it
 * started and a scratch directory, all cleaned up after the file's tests.
 */
export function processTestSpace(prefix: string) {
  const space = { agents: new LoopbackAgents(), children: [] as ChildProcess[], dir: "" };
  beforeAll(async () => {
    space.dir = await mkdtemp(join(tmpdir(), prefix));
  });
  afterAll(async () => {
    for (const child of space.children.splice(0)) await kill(child);
    await space.agents.closeAll();
    await rm(space.dir, { recursive: true, force: true });
  });
  return space;
}

export interface SlackPost {
  text: string;
  threadTs?: string;
  answered: boolean;
}

/** Slack's Web API on loopback: records chat.postMessage and either answers it or holds it open. */
export async function startSlackStandIn(options: { hold?: boolean } = {}) {
  const posts: SlackPost[] = [];
  const held: ServerResponse[] = [];
  let hold = options.hold ?? true;
  let ts = 0;
  const server: Server = createServer(async (req, res) => {
    const fields = new URLSearchParams(await readBody(req));
    if (!req.url?.endsWith("/chat.postMessage")) {
      res.writeHead(200, { "content-type": "application/json" }).end('{"ok":true}');
      return;
    }
    const post: SlackPost = { text: fields.get("text") ?? "", answered: false };
    const thread = fields.get("thread_ts");
    if (thread) post.threadTs = thread;
    posts.push(post);
    if (hold) {
      held.push(res);
      return;
    }
    post.answered = true;
    ts += 1;
    res
      .writeHead(200, { "content-type": "application/json" })
      .end(
        JSON.stringify({ ok: true, channel: fields.get("channel"), ts: `1764043200.${String(ts).padStart(6, "0")}` }),
      );
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/api/`,
    posts,
    texts: () => posts.map((p) => p.text),
    answerFromNowOn() {
      hold = false;
    },
    close: () => closeHolding(server, held),
  };
}

/** Closes a stand-in, dropping the requests it holds open. */
function closeHolding(server: Server, held: readonly ServerResponse[]): Promise<void> {
  return new Promise<void>((resolve) => {
    for (const res of held) res.destroy();
    server.closeAllConnections();
    server.close(() => resolve());
  });
}

/** A Slack incoming webhook on loopback: records each post's text and either answers `ok` or holds it open. */
export async function startWebhookStandIn() {
  const texts: string[] = [];
  const held: ServerResponse[] = [];
  let hold = true;
  const server = createServer(async (req, res) => {
    const body = JSON.parse(await readBody(req)) as { text?: string };
    texts.push(body.text ?? "");
    if (hold) held.push(res);
    else res.writeHead(200, { "content-type": "text/plain" }).end("ok");
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/services/T0/B0/webhook-test`,
    texts,
    answerFromNowOn() {
      hold = false;
    },
    close: () => closeHolding(server, held),
  };
}

/**
 * A node whose agent can be switched off (connections reset: the agent is
 * silent) and on (requests passed to a real agent over the simulator). Counts
 * the status polls that reached it either way, so a test can wait for "three
 * more polls" instead of guessing how long they take.
 */
export async function switchableNode(
  agents: LoopbackAgents,
  name: string,
  options: { scenario?: SimulatorScenario; up?: boolean } = {},
) {
  const agent = await agents.agent(name, {
    cluster: "contoso-prod",
    ...(options.scenario ? { scenario: options.scenario } : {}),
  });
  const target = new URL(agent.url);
  let up = options.up ?? false;
  let polls = 0;
  const server = createServer((req, res) => {
    if (req.url?.startsWith("/v1/status")) polls++;
    if (!up) {
      req.socket.destroy();
      return;
    }
    const upstream = request(
      { host: target.hostname, port: target.port, path: req.url, method: req.method, headers: req.headers },
      (answer) => {
        res.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(res);
      },
    );
    upstream.on("error", () => res.destroy());
    req.pipe(upstream);
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  const node: LoopbackNode = { name, url: `http://127.0.0.1:${port}`, secret: agent.secret };
  return {
    node,
    bringUp() {
      up = true;
    },
    takeDown() {
      up = false;
    },
    /** Status requests that reached this node so far, answered or not (a refused one may be a retry). */
    polls: () => polls,
    /** Waits until `count` more status requests have reached this node: the watcher has seen its state again. */
    async morePolls(count: number): Promise<void> {
      const target = polls + count;
      await until(() => polls >= target, `${count} more polls of ${name}`);
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** The fields watcherProcess.ts reads from SCANNER_FAULT_SETUP. */
export interface WatcherProcessSetup {
  dbPath: string;
  slackApiUrl: string;
  signingSecret: string;
  nodes: LoopbackNode[];
  /** Notify-only: alerts go to this Slack incoming webhook instead of the Slack app. */
  webhookUrl?: string;
}

/** Starts the watcher in a child process; resolves once it is polling. */
export function startWatcherProcess(setup: WatcherProcessSetup, children: ChildProcess[]): Promise<ChildProcess> {
  const child = spawn(process.execPath, ["--import", "tsx", "test/faults/watcherProcess.ts"], {
    cwd: root,
    env: {
      PATH: process.env.PATH ?? "",
      SCANNER_FAULT_SETUP: JSON.stringify(setup),
      LOG_LEVEL: process.env.FAULT_LOG_LEVEL ?? "error",
    },
    stdio: ["ignore", "pipe", "inherit"],
  });
  children.push(child);
  return new Promise((resolve, reject) => {
    child.stdout?.on("data", (chunk: Buffer) => {
      if (chunk.toString("utf8").includes("watching")) resolve(child);
    });
    child.once("error", reject);
    child.once("exit", (code, signal) => reject(new Error(`watcher process exited early (${code ?? signal})`)));
  });
}

/** SIGKILL: no shutdown code runs. Resolves once the process is gone. */
export async function kill(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise((resolve) => child.once("exit", resolve));
  child.kill("SIGKILL");
  await exited;
}

export type NotificationRow = { key: string; kind: string; state: string; message_id: string | null };
export type IncidentRow = { id: number; kind: string; resolved_at: string | null; recovery_done: number };

/** Reads the notification log and incidents the way an operator would, from outside the bot. */
export function notificationLog(dbPath: string): { notifications: NotificationRow[]; incidents: IncidentRow[] } {
  const db = new BetterSqlite3(dbPath, { readonly: true, fileMustExist: true });
  try {
    return {
      notifications: db
        .prepare("SELECT key, kind, state, message_id FROM notifications ORDER BY created_at, key")
        .all() as NotificationRow[],
      incidents: db
        .prepare("SELECT id, kind, resolved_at, recovery_done FROM incidents ORDER BY id")
        .all() as IncidentRow[],
    };
  } finally {
    db.close();
  }
}
