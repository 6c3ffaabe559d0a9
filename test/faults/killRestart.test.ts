import { type ChildProcess, spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import { mkdtemp, rm } from "node:fs/promises";
import { createServer, request, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import BetterSqlite3 from "better-sqlite3";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { LoopbackAgents } from "../fleet/loopbackAgents.js";
import { readBody } from "../slack/slackHarness.js";

/**
 * The bot is killed (SIGKILL, no shutdown code runs) while an alert is on its
 * way to Slack, then started again over the same SQLite file. The claim
 * written before the send lets the new process see the half-finished
 * message: the alert is not posted a second time, the log holds no pending
 * row, and later messages (the recovery) still go out exactly once.
 *
 * Real processes: the watcher runs in a child (watcherProcess.ts through tsx);
 * the test process holds the agents and a loopback stand-in for Slack's Web
 * API that can hold a chat.postMessage open, which is "a send in flight".
 */

const root = new URL("../..", import.meta.url).pathname;
const agents = new LoopbackAgents();
const children: ChildProcess[] = [];
let dir: string;

interface SlackPost {
  text: string;
  threadTs?: string;
  answered: boolean;
}

/** Slack's Web API on loopback: records chat.postMessage and either answers it or holds it open. */
async function startSlackStandIn() {
  const posts: SlackPost[] = [];
  const held: ServerResponse[] = [];
  let hold = true;
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
    answerFromNowOn() {
      hold = false;
    },
    close: () =>
      new Promise<void>((resolve) => {
        for (const res of held) res.destroy();
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** A node whose agent can be switched off (connections reset) and on (requests passed to a real agent). */
async function switchableNode(name: string) {
  const agent = await agents.agent(name, { cluster: "contoso-prod" });
  const target = new URL(agent.url);
  let up = false;
  const server = createServer((req, res) => {
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
  return {
    node: { name, url: `http://127.0.0.1:${port}`, secret: agent.secret },
    bringUp() {
      up = true;
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

function startWatcherProcess(setup: unknown): Promise<ChildProcess> {
  const child = spawn(process.execPath, ["--import", "tsx", "test/faults/watcherProcess.ts"], {
    cwd: root,
    env: { PATH: process.env.PATH ?? "", SCANNER_FAULT_SETUP: JSON.stringify(setup), LOG_LEVEL: "error" },
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

async function kill(child: ChildProcess): Promise<void> {
  const exited = new Promise((resolve) => child.once("exit", resolve));
  child.kill("SIGKILL");
  await exited;
}

async function until(check: () => boolean, what: string, timeoutMs = 15_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

type NotificationRow = { key: string; kind: string; state: string; message_id: string | null };

/** Reads the notification log the way an operator would, from outside the bot. */
function notificationLog(dbPath: string): {
  notifications: NotificationRow[];
  incidents: { resolved_at: string | null; recovery_done: number }[];
} {
  const db = new BetterSqlite3(dbPath, { readonly: true, fileMustExist: true });
  try {
    return {
      notifications: db
        .prepare("SELECT key, kind, state, message_id FROM notifications ORDER BY created_at, key")
        .all() as NotificationRow[],
      incidents: db.prepare("SELECT resolved_at, recovery_done FROM incidents").all() as {
        resolved_at: string | null;
        recovery_done: number;
      }[],
    };
  } finally {
    db.close();
  }
}

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "scanner-kill-restart-"));
});

afterAll(async () => {
  for (const child of children.splice(0)) if (child.exitCode === null) child.kill("SIGKILL");
  await agents.closeAll();
  await rm(dir, { recursive: true, force: true });
});

describe("bot killed during a notification, then restarted", () => {
  it("posts the alert once, leaves no pending row, and still sends the recovery exactly once", async () => {
    const slack = await startSlackStandIn();
    const healthy = await agents.agent("scan-01", { cluster: "contoso-prod" });
    const flaky = await switchableNode("scan-02");
    const dbPath = join(dir, "scanner-bot.db");
    const setup = {
      dbPath,
      slackApiUrl: slack.url,
      signingSecret: randomBytes(16).toString("hex"),
      nodes: [{ name: healthy.name, url: healthy.url, secret: healthy.secret }, flaky.node],
    };
    try {
      // First life: scan-02 is unreachable, the alert goes out and Slack holds the request open.
      const first = await startWatcherProcess(setup);
      await until(() => slack.posts.length === 1, "the alert to reach Slack");
      expect(slack.posts[0]?.text).toContain("scan-02");
      expect(notificationLog(dbPath).notifications).toMatchObject([{ kind: "open", state: "pending" }]);
      await kill(first);

      // Second life over the same file: nothing is sent twice, the half-sent alert is settled.
      slack.answerFromNowOn();
      const second = await startWatcherProcess(setup);
      await until(
        () => notificationLog(dbPath).notifications[0]?.state !== "pending",
        "the pending alert to be settled",
      );
      await new Promise((resolve) => setTimeout(resolve, 800));
      expect(slack.posts).toHaveLength(1);
      expect(notificationLog(dbPath).notifications).toMatchObject([{ kind: "open", state: "abandoned" }]);

      // The node comes back: the recovery is not lost, and goes out once.
      flaky.bringUp();
      await until(() => slack.posts.length === 2, "the recovery");
      await until(() => notificationLog(dbPath).incidents[0]?.recovery_done === 1, "the recovery to be recorded");
      await new Promise((resolve) => setTimeout(resolve, 600));
      await kill(second);

      expect(slack.posts.map((p) => p.answered)).toEqual([false, true]);
      expect(slack.posts[1]?.text).toMatch(/scan-02/);
      const log = notificationLog(dbPath);
      expect(log.notifications.map((n) => [n.kind, n.state])).toEqual([
        ["open", "abandoned"],
        ["recovery", "sent"],
      ]);
      expect(log.notifications[1]?.message_id).toBe("1764043200.000001");
      expect(log.incidents).toHaveLength(1);
      expect(log.incidents[0]?.resolved_at).not.toBeNull();
    } finally {
      await slack.close();
      await flaky.close();
    }
  }, 60_000);
});
