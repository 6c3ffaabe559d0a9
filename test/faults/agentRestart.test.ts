import { type ChildProcess, spawn } from "node:child_process";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { actionResultSchema, agentErrorSchema, agentPaths } from "../../src/wire/agentApi.js";
import { signRequest } from "../../src/wire/requestSigning.js";
import { actionBody, postSignedAction } from "../agent/signedClient.js";

/**
 * The real agent process (`scanner-bot agent --config`), killed with SIGKILL between two identical signed
 * action requests and started again on the same config: the second must not run the action. The data
 * directory is the config's default (`data` next to the config file).
 */

const root = resolve(import.meta.dirname, "..", "..");
const secret = "a-restart-test-secret-of-32-chars";
let work: string;
const children: ChildProcess[] = [];

beforeEach(async () => {
  work = await mkdtemp(join(tmpdir(), "scanner-agent-restart-"));
});

afterEach(async () => {
  for (const child of children.splice(0)) child.kill("SIGKILL");
  await rm(work, { recursive: true, force: true });
});

/** Starts the agent; resolves with its URL and a view of its log once it listens. */
function startAgent(config: string): Promise<{ url: string; child: ChildProcess; log: () => string }> {
  const child = spawn(process.execPath, [join(root, "bin", "scanner-bot.js"), "agent", "--config", config], {
    env: { ...process.env, SCANNER_AGENT_SECRET: secret },
    stdio: ["ignore", "pipe", "pipe"],
  });
  children.push(child);
  let log = "";
  return new Promise((resolveStart, reject) => {
    const collect = (chunk: Buffer) => {
      log += chunk.toString();
      const match = /"url":"(http:\/\/127\.0\.0\.1:\d+)"/.exec(log);
      if (match?.[1]) resolveStart({ url: match[1], child, log: () => log });
    };
    child.stdout?.on("data", collect);
    child.stderr?.on("data", collect);
    child.on("exit", (code) => reject(new Error(`agent exited early (${code}): ${log}`)));
  });
}

async function killed(child: ChildProcess): Promise<void> {
  const exited = new Promise<void>((done) => child.once("exit", () => done()));
  child.kill("SIGKILL");
  await exited;
}

const ran = (log: string) => log.split("\n").filter((line) => line.includes("running a guarded action")).length;

describe("agent process killed and restarted between two identical signed action requests", () => {
  it("runs the action once: the copy is refused as a replay, the bot's retry gets the first outcome", async () => {
    const config = join(work, "agent.yml");
    await writeFile(
      config,
      [
        "node: { name: SCAN-RESTART01 }",
        "listen: { port: 0 }",
        "secrets: [env:SCANNER_AGENT_SECRET]",
        "backend: { kind: simulator, cluster: contoso-lab, scenario: stalled }",
        "actions: { restart-service: true }",
        "",
      ].join("\n"),
    );
    const body = actionBody("restart-service");
    // Signed once, sent twice: what an attacker (or a confused proxy) replays.
    const headers = signRequest(secret, { method: "POST", path: agentPaths.action, body });

    const first = await startAgent(config);
    const answered = await postSignedAction(first.url, body, headers);
    expect(answered.status).toBe(200);
    const outcome = actionResultSchema.parse(answered.json);
    expect(outcome).toMatchObject({ outcome: "done", replayed: false });
    await killed(first.child);

    const second = await startAgent(config);
    const replay = await postSignedAction(second.url, body, headers);
    expect(replay.status).toBe(401);
    expect(agentErrorSchema.parse(replay.json).error.message).toMatch(/already received once/);
    const retry = await postSignedAction(
      second.url,
      body,
      signRequest(secret, { method: "POST", path: agentPaths.action, body }),
    );
    expect(retry.status).toBe(200);
    expect(actionResultSchema.parse(retry.json)).toEqual({ ...outcome, replayed: true });
    // Each run logs the actions it runs: the first ran it, the second did not.
    expect([ran(first.log()), ran(second.log())]).toEqual([1, 0]);
    // Two process starts through tsx: seconds each on a busy machine.
  }, 60_000);
});
