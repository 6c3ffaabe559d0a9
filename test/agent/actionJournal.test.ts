import { mkdtemp, readdir, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pino } from "pino";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { type RunningAgentServer, startAgentServer } from "../../agent/agentServer.js";
import type { ScannerBackend } from "../../agent/scannerBackend.js";
import { createScannerSimulator } from "../../agent/simulator/scannerSimulator.js";
import { type ActionResult, actionResultSchema, agentErrorSchema, agentPaths } from "../../src/wire/agentApi.js";
import { signRequest } from "../../src/wire/requestSigning.js";
import { actionBody, postSignedAction } from "./signedClient.js";

/**
 * A signed guarded-action request runs at most once across restarts of the agent: agent servers are started,
 * stopped and started again on one action journal, with a fake clock, and the same signed request is sent to
 * each run. What counts is how often the backend ran the action.
 */

const secret = "journal-test-secret";
let dir: string;
let clock: Date;
let runs: string[];
let logs: string[];
let running: RunningAgentServer | undefined;

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), "scanner-agent-journal-"));
  clock = new Date("2026-12-04T10:00:00.000Z");
  runs = [];
  logs = [];
});

afterEach(async () => {
  await running?.close();
  running = undefined;
  await rm(dir, { recursive: true, force: true });
});

const journalPath = () => join(dir, "data", "action-journal.json");

/** The simulator, with runAction counted (and held back while `hold` is set). */
function backend(hold?: Promise<void>): ScannerBackend {
  const simulator = createScannerSimulator({ nodeName: "SCAN01", cluster: "contoso-prod", seed: 3, now: () => clock });
  return {
    ...simulator,
    runAction: async (request) => {
      runs.push(request.requestId);
      await hold;
      return simulator.runAction(request);
    },
  };
}

/** One run of the agent on the journal; the previous run (if any) is dropped as a crash would drop it. */
async function startAgent(hold?: Promise<void>): Promise<string> {
  running = await startAgentServer({
    backend: backend(hold),
    secrets: [secret],
    actionsEnabled: ["restart-service", "start-scan"],
    now: () => clock,
    journalPath: journalPath(),
    logger: pino({ level: "info" }, { write: (line: string) => logs.push(line) }),
  });
  return running.url;
}

async function stopAgent(): Promise<void> {
  await running?.close();
  running = undefined;
}

/** Signed headers for one request, so the very same request can be sent more than once. */
function signed(body: string, at: Date = clock): Record<string, string> {
  return signRequest(secret, { method: "POST", path: agentPaths.action, body }, at);
}

describe("guarded actions across agent restarts", () => {
  it("the same signed request sent again after a restart is refused as a replay; the bot's retry gets the first outcome", async () => {
    const body = actionBody("restart-service");
    const headers = signed(body);
    const first = await postSignedAction(await startAgent(), body, headers);
    expect(first.status).toBe(200);
    const firstResult = actionResultSchema.parse(first.json);
    await stopAgent();

    clock = new Date(clock.getTime() + 30_000);
    const url = await startAgent();
    const replay = await postSignedAction(url, body, headers);
    expect(replay.status).toBe(401);
    expect(agentErrorSchema.parse(replay.json).error.message).toMatch(/already received once/);
    // The bot retrying the same requestId with a fresh signature: the first outcome, marked replayed.
    const retry = await postSignedAction(url, body, signed(body));
    expect(retry.status).toBe(200);
    expect(retry.json).toEqual({ ...firstResult, replayed: true } satisfies ActionResult);
    expect(runs).toHaveLength(1);
  });

  it("an action the agent died in is not run again: a retry learns its outcome is unknown", async () => {
    // The action never finishes in this run.
    const held = new Promise<void>(() => {});
    const body = actionBody("start-scan");
    const url = await startAgent(held);
    const abandoned = postSignedAction(url, body, signed(body)).catch(() => undefined);
    await expect.poll(() => runs.length).toBe(1);
    // The process dies mid-action: its server goes, and its answer never comes.
    await stopAgent();
    await abandoned;

    const again = await startAgent();
    const retry = await postSignedAction(again, body, signed(body));
    expect(retry.status).toBe(409);
    expect(agentErrorSchema.parse(retry.json).error).toMatchObject({ code: "outcome_unknown" });
    expect(runs).toHaveLength(1);
  });

  it("a corrupt journal is moved aside with one clear log line; requests signed before the restart are refused, new ones run", async () => {
    const oldBody = actionBody("restart-service");
    const signedBefore = signed(oldBody, new Date(clock.getTime() - 1_000));
    await startAgent();
    await stopAgent();
    await writeFile(journalPath(), "{ this is not json");

    const url = await startAgent();
    const complaint = logs.filter((line) => line.includes("action journal unreadable"));
    expect(complaint).toHaveLength(1);
    expect(complaint[0]).toContain("not JSON");
    expect((await readdir(join(dir, "data"))).some((name) => name.startsWith("action-journal.json.unreadable-"))).toBe(
      true,
    );
    const old = await postSignedAction(url, oldBody, signedBefore);
    expect(old.status).toBe(401);
    expect(agentErrorSchema.parse(old.json).error.message).toMatch(/signed before the agent restarted/);
    const fresh = actionBody("restart-service");
    expect((await postSignedAction(url, fresh, signed(fresh))).status).toBe(200);
    expect(runs).toHaveLength(1);
    // The journal is whole again: valid JSON naming the action that ran.
    expect(JSON.parse(await readFile(journalPath(), "utf8")).actions).toHaveLength(1);
  });

  it("keeps the file small: nonces are dropped once their signature window has passed", async () => {
    const url = await startAgent();
    for (let i = 0; i < 3; i++) {
      const body = actionBody("restart-service");
      expect((await postSignedAction(url, body, signed(body))).status).toBe(200);
    }
    clock = new Date(clock.getTime() + 10 * 60_000);
    const body = actionBody("restart-service");
    expect((await postSignedAction(url, body, signed(body))).status).toBe(200);
    const file = JSON.parse(await readFile(journalPath(), "utf8")) as { nonces: unknown[]; actions: unknown[] };
    expect(file.nonces).toHaveLength(1);
    expect(file.actions).toHaveLength(4);
  });
});
