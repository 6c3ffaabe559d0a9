import { describe, expect, it } from "vitest";
import type { Caller } from "../../src/access/caller.js";
import { ConfirmationLedger } from "../../src/actions/confirmationLedger.js";
import {
  confirmFlag,
  confirmIdSchema,
  type GuardedRequest,
  requestConfirmation,
  runConfirmed,
  targetNameSchema,
  unexpectedWordsSchema,
} from "../../src/actions/guardedActionFlow.js";
import type { FleetClient } from "../../src/fleet/fleetClient.js";
import { BotError } from "../../src/foundation/botError.js";
import type { CommandContext } from "../../src/routing/command.js";
import type { Services } from "../../src/routing/services.js";
import type { ActionRequest, ActionResult, GuardedAction, Health } from "../../src/wire/agentApi.js";

const nodes = [
  { name: "scan-01", cluster: "contoso-prod", url: "https://scan-01:8443" },
  { name: "scan-02", cluster: "contoso-prod", url: "https://scan-02:8443" },
  { name: "scan-03", cluster: "contoso-prod", url: "https://scan-03:8443" },
];

type Outcome<T> = { ok: true; value: T } | { ok: false; error: BotError };

/** A fleet whose agents answer as each test says; records the actions it was asked to run. */
function fakeFleet(options: {
  health?: Record<string, Outcome<Pick<Health, "actionsEnabled">>>;
  action?: (node: string, request: ActionRequest) => Outcome<ActionResult>;
}) {
  const actions: { node: string; request: ActionRequest }[] = [];
  const fleet = {
    clusters: () => [{ name: "contoso-prod", nodes, channels: [] }],
    findNode: (name: string) => nodes.find((n) => n.name === name),
    findCluster: (name: string) => (name === "contoso-prod" ? { name, nodes, channels: [] } : undefined),
    health: async (node: string) =>
      options.health?.[node] ?? { ok: true, value: { actionsEnabled: ["restart-service", "stop-scan", "start-scan"] } },
    action: async (node: string, request: ActionRequest) => {
      actions.push({ node, request });
      return (
        options.action?.(node, request) ?? {
          ok: true,
          value: {
            action: request.action,
            requestId: request.requestId,
            outcome: "done",
            message: "Service restarted",
            startedAt: "2026-11-25T03:00:00.000Z",
            finishedAt: "2026-11-25T03:00:42.000Z",
            replayed: false,
          },
        }
      );
    },
  } as unknown as FleetClient;
  return { fleet, actions };
}

function context(
  fleet: FleetClient,
  enabled: GuardedAction[],
  caller: Partial<Caller> = {},
  ledger = new ConfirmationLedger(),
) {
  const stops: { cluster: string; at: Date }[] = [];
  const services = {
    commands: [],
    now: () => new Date("2026-11-25T03:01:00.000Z"),
    fleet,
    guardedActions: { enabled: new Set(enabled), ledger },
    watcher: { noteStop: (cluster: string, at: Date) => stops.push({ cluster, at }) },
  } as unknown as Services;
  const ctx: CommandContext = {
    services,
    caller: { platform: "slack", userId: "U1", userName: "Ana", ...caller },
    signal: new AbortController().signal,
  };
  return { ctx, ledger, stops };
}

const restart: GuardedRequest = {
  action: "restart-service",
  target: "scan-02",
  commandLine: "restart scan-02",
  description: "restart the scanner service on scan-02",
  consequence: "The scan in progress stops and resumes.",
};

/** The agent's answer for an action that ran and failed (the node reported it), with `extra` fields. */
const failedAction =
  (message: string, extra: Partial<ActionResult> = {}) =>
  (_node: string, request: ActionRequest): Outcome<ActionResult> => ({
    ok: true,
    value: {
      action: request.action,
      requestId: request.requestId,
      outcome: "failed",
      message,
      startedAt: "2026-11-25T03:00:00.000Z",
      finishedAt: "2026-11-25T03:00:01.000Z",
      replayed: false,
      ...extra,
    },
  });

/** A stop of one node's scan, as `scan stop scan-01` asks for it. */
const stopScan01: GuardedRequest = {
  action: "stop-scan",
  target: "scan-01",
  commandLine: "scan stop scan-01",
  description: "stop the scan",
  consequence: "It stops.",
};

const errorOf = async (promise: Promise<unknown>) => {
  const err = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(BotError);
  return err as BotError;
};

describe("requestConfirmation", () => {
  it("asks in private, names the node that will run it and how long the button lasts", async () => {
    const { fleet } = fakeFleet({});
    const { ctx } = context(fleet, ["restart-service"]);
    const answer = await requestConfirmation(restart, ctx);
    expect(answer.text).toBe("Confirm: restart the scanner service on scan-02?");
    expect(answer.visibility).toBe("private");
    expect(answer.status).toBe("warn");
    expect(answer.blocks).toContainEqual({
      kind: "status",
      status: "warn",
      text: "Confirm: restart the scanner service on scan-02?",
    });
    expect(answer.blocks).toContainEqual({
      kind: "text",
      text: "The scan in progress stops and resumes. It will run through scan-02's agent. The button is valid for 10 minutes.",
    });
    const actions = answer.blocks.find((b) => b.kind === "actions");
    expect(actions?.kind === "actions" && actions.actions).toEqual([
      {
        label: "Restart service",
        command: expect.stringMatching(/^restart scan-02 --confirm=[0-9a-f-]{36}$/),
        style: "danger",
        confirm: {
          title: "Restart service?",
          text: "Restart the scanner service on scan-02. The scan in progress stops and resumes.",
          confirmLabel: "Restart service",
          denyLabel: "Cancel",
        },
      },
    ]);
  });

  it("refuses an action the bot's config does not enable, and names where to enable it", async () => {
    const { fleet } = fakeFleet({});
    const err = await errorOf(requestConfirmation(restart, context(fleet, ["stop-scan"]).ctx));
    expect(err.code).toBe("forbidden");
    expect(err.userMessage).toBe(
      "The `restart-service` action is off in the bot's config. An admin can list it under `actions.enabled`; it must also be enabled in the node agent's config.",
    );
  });

  it("names an unknown target", async () => {
    const { fleet } = fakeFleet({});
    const err = await errorOf(
      requestConfirmation({ ...restart, target: "nope" }, context(fleet, ["restart-service"]).ctx),
    );
    expect(err.code).toBe("not_found");
    expect(err.userMessage).toBe("There is no node or cluster `nope`.");
  });

  it("for a cluster, picks the first node that answers with the action enabled, and says why the others were passed over", async () => {
    const stop: GuardedRequest = {
      action: "stop-scan",
      target: "contoso-prod",
      commandLine: "scan stop contoso-prod",
      description: "stop the scan of contoso-prod",
      consequence: "Every node stops.",
    };
    const { fleet } = fakeFleet({
      health: {
        "scan-01": { ok: false, error: new BotError("agent_unreachable", "did not answer") },
        "scan-02": { ok: true, value: { actionsEnabled: ["restart-service"] } },
      },
    });
    const { ctx } = context(fleet, ["stop-scan"]);
    const answer = await requestConfirmation(stop, ctx);
    expect(JSON.stringify(answer.blocks)).toContain("It will run through scan-03's agent.");
    const buttons = answer.blocks.find((b) => b.kind === "actions");
    expect(buttons?.kind === "actions" && buttons.actions.map((a) => [a.label, a.confirm?.title])).toEqual([
      ["Stop scan", "Stop scan?"],
    ]);

    const { fleet: none } = fakeFleet({
      health: {
        "scan-01": { ok: false, error: new BotError("agent_unreachable", "did not answer") },
        "scan-02": { ok: true, value: { actionsEnabled: [] } },
        "scan-03": { ok: true, value: { actionsEnabled: ["start-scan"] } },
      },
    });
    const err = await errorOf(requestConfirmation(stop, context(none, ["stop-scan"]).ctx));
    expect(err.code).toBe("forbidden");
    expect(err.userMessage).toBe(
      "I can't stop the scan of contoso-prod: scan-01: did not answer; scan-02: `stop-scan` is not enabled in its agent's config; scan-03: `stop-scan` is not enabled in its agent's config.",
    );
  });
});

describe("runConfirmed", () => {
  async function confirmed(request: GuardedRequest, fleetOptions: Parameters<typeof fakeFleet>[0] = {}) {
    const { fleet, actions } = fakeFleet(fleetOptions);
    const requester = context(fleet, [request.action], { userName: "Ana" });
    const pending = requester.ledger.request(request.action, request.target, "Ana", true);
    const confirmer = context(fleet, [request.action], { userId: "U2", userName: "Ben" }, requester.ledger);
    return { fleet, actions, pending, confirmer, ledger: requester.ledger };
  }

  it("runs once through the agent with the confirmation id as its request id, and tells the channel who asked and who confirmed", async () => {
    const { actions, pending, confirmer } = await confirmed(restart);
    const answer = await runConfirmed(restart, pending.id, confirmer.ctx);
    expect(actions).toEqual([
      { node: "scan-02", request: { action: "restart-service", requestId: pending.id, reset: true } },
    ]);
    expect(answer.text).toBe("Done: restart the scanner service on scan-02 (requested by Ana, confirmed by Ben)");
    expect(answer.visibility).toBe("channel");
    expect(answer.status).toBe("ok");
    expect(answer.blocks).toContainEqual({
      kind: "fields",
      fields: [
        { label: "Who", value: "requested by Ana, confirmed by Ben" },
        { label: "Through", value: "scan-02" },
        { label: "Took", value: "42s" },
        { label: "Agent says", value: "Service restarted" },
      ],
    });
    expect(answer.blocks.filter((b) => b.kind === "text")).toEqual([]);
    expect(answer.blocks).toContainEqual({
      kind: "status",
      status: "ok",
      text: "Done: restart the scanner service on scan-02",
    });
    expect(confirmer.stops).toEqual([]);
    // A second click gets the first outcome, privately, and runs nothing.
    const again = await runConfirmed(restart, pending.id, confirmer.ctx);
    expect(actions).toHaveLength(1);
    expect(again).toEqual({ ...answer, visibility: "private" });
  });

  it("says 'by' once when the same person asked and confirmed, and reports a failed outcome as failed", async () => {
    const { fleet } = fakeFleet({
      action: failedAction("Access denied", { artifactPath: "C:\\\\exports\\\\logs.zip" }),
    });
    const { ctx, ledger } = context(fleet, ["restart-service"]);
    const pending = ledger.request("restart-service", "scan-02", "Ana");
    const answer = await runConfirmed(restart, pending.id, ctx);
    expect(answer.text).toBe("Failed: restart the scanner service on scan-02 (by Ana)");
    expect(answer.status).toBe("error");
    expect(answer.blocks).toContainEqual({
      kind: "status",
      status: "error",
      text: "Failed: restart the scanner service on scan-02",
    });
    expect(JSON.stringify(answer.blocks)).toContain('"label":"Saved on the node"');
    // The audit log records it as failed: the reply carries a failure code, not only a red badge.
    expect(answer.failure).toBe("action_failed");
  });

  it("does not tell the watcher about a stop the node reported as failed: the scan may still run and stall", async () => {
    const s = await confirmed(stopScan01, { action: failedAction("Stop-AIPScan failed") });
    const answer = await runConfirmed(stopScan01, s.pending.id, s.confirmer.ctx);
    expect(answer.text).toMatch(/^Failed: stop the scan/);
    expect(s.confirmer.stops).toEqual([]);
  });

  it("refuses a confirmation clicked after its button expired", async () => {
    let now = Date.parse("2026-11-25T03:00:00.000Z");
    const ledger = new ConfirmationLedger(() => now, 10 * 60_000);
    const { fleet, actions } = fakeFleet({});
    const { ctx } = context(fleet, ["restart-service"], {}, ledger);
    const pending = ledger.request("restart-service", "scan-02", "Ana");
    now += 10 * 60_000 + 1;
    const err = await errorOf(runConfirmed(restart, pending.id, ctx));
    expect(err.code).toBe("bad_arguments");
    expect(err.userMessage).toBe(
      "That confirmation is unknown or has expired. Run `restart scan-02` again to get a new one.",
    );
    expect(actions).toEqual([]);
  });

  it("tells the watcher about a bot-issued stop, and says how long a stop takes; a start explains the Always schedule", async () => {
    const stop = stopScan01;
    const s = await confirmed(stop);
    const answer = await runConfirmed(stop, s.pending.id, s.confirmer.ctx);
    expect(s.confirmer.stops).toEqual([{ cluster: "contoso-prod", at: new Date("2026-11-25T03:01:00.000Z") }]);
    expect(answer.blocks).toContainEqual({
      kind: "text",
      text: "A stop can take up to 5 minutes to reach every node of the cluster.",
    });
    const start: GuardedRequest = {
      ...stop,
      action: "start-scan",
      commandLine: "scan start scan-01",
      description: "start the scan",
    };
    const t = await confirmed(start);
    const started = await runConfirmed(start, t.pending.id, t.confirmer.ctx);
    expect(t.confirmer.stops).toEqual([]);
    expect(started.blocks).toContainEqual({
      kind: "text",
      text: "If the content scan job's schedule is Always, the scanner ignores a manual start: it is already scanning.",
    });
  });

  it("keeps the id for a retry when the agent could not be asked, so the agent's own dedupe decides", async () => {
    const s = await confirmed(restart, {
      action: () => ({ ok: false, error: new BotError("agent_timeout", "no answer in 10 s") }),
    });
    const err = await errorOf(runConfirmed(restart, s.pending.id, s.confirmer.ctx));
    expect(err.code).toBe("agent_error");
    expect(err.userMessage).toBe("I couldn't restart the scanner service on scan-02: no answer in 10 s");
    // Released, not completed: the same button may be clicked again and reaches the agent again.
    await runConfirmed(restart, s.pending.id, s.confirmer.ctx).catch(() => undefined);
    expect(s.actions).toHaveLength(2);
    expect(s.actions[1]?.request.requestId).toBe(s.pending.id);
  });

  it("refuses unknown, expired and mismatched confirmations, and a click while it runs", async () => {
    const s = await confirmed(restart);
    const unknown = await errorOf(runConfirmed(restart, "3f1c7c2e-1111-4a4a-9b9b-000000000000", s.confirmer.ctx));
    expect(unknown.code).toBe("bad_arguments");
    expect(unknown.userMessage).toBe(
      "That confirmation is unknown or has expired. Run `restart scan-02` again to get a new one.",
    );
    const other = await errorOf(runConfirmed({ ...restart, target: "scan-01" }, s.pending.id, s.confirmer.ctx));
    expect(other.code).toBe("bad_arguments");
    expect(other.userMessage).toBe("That confirmation belongs to another action or target.");

    let release: () => void = () => {};
    const slow = fakeFleet({});
    const gate = new Promise<void>((resolve) => {
      release = resolve;
    });
    const inner = slow.fleet.action.bind(slow.fleet);
    (slow.fleet as { action: FleetClient["action"] }).action = async (node, request, options) => {
      await gate;
      return inner(node, request, options);
    };
    const c = context(slow.fleet, ["restart-service"], { userName: "Cy" });
    const pending = c.ledger.request("restart-service", "scan-02", "Ana");
    const first = runConfirmed(restart, pending.id, c.ctx);
    await new Promise((resolve) => setImmediate(resolve));
    const second = await runConfirmed(restart, pending.id, c.ctx);
    expect(second.text).toBe("Already running: restart the scanner service on scan-02");
    expect(second.visibility).toBe("private");
    expect(second.status).toBe("info");
    expect(second.blocks).toContainEqual({
      kind: "status",
      status: "info",
      text: "Already running: restart the scanner service on scan-02 (confirmed by Cy).",
    });
    release();
    await first;
  });
});

describe("the edges of the flow", () => {
  it("frees the confirmation when the node refused before anything ran, so the button works once it is fixed", async () => {
    let enabled = false;
    const { fleet, actions } = fakeFleet({});
    (fleet as { health: FleetClient["health"] }).health = async () =>
      ({ ok: true, value: { actionsEnabled: enabled ? ["restart-service"] : [] } }) as never;
    const { ctx, ledger } = context(fleet, ["restart-service"]);
    const pending = ledger.request("restart-service", "scan-02", "Ana");
    const err = await errorOf(runConfirmed(restart, pending.id, ctx));
    expect(err.code).toBe("forbidden");
    enabled = true;
    const answer = await runConfirmed(restart, pending.id, ctx);
    expect(answer.text).toMatch(/^Done: /);
    expect(actions).toHaveLength(1);
  });

  it("passes --reset from the request to the agent, and works without a watcher", async () => {
    const { fleet, actions } = fakeFleet({});
    const { ctx } = context(fleet, ["stop-scan"]);
    (ctx.services as { watcher?: unknown }).watcher = undefined;
    const stop: GuardedRequest = { ...restart, action: "stop-scan", commandLine: "scan stop scan-02", reset: true };
    const asked = await requestConfirmation(stop, ctx);
    const button = asked.blocks.find((b) => b.kind === "actions");
    const id = (button?.kind === "actions" ? button.actions[0]?.command : "")?.split("--confirm=")[1] ?? "";
    await runConfirmed(stop, id, ctx);
    expect(actions[0]?.request).toEqual({ action: "stop-scan", requestId: id, reset: true });
    const plain = await requestConfirmation({ ...stop, reset: undefined }, ctx);
    const plainButton = plain.blocks.find((b) => b.kind === "actions");
    const plainId =
      (plainButton?.kind === "actions" ? plainButton.actions[0]?.command : "")?.split("--confirm=")[1] ?? "";
    await runConfirmed(stop, plainId, ctx);
    expect(actions[1]?.request.reset).toBe(false);
  });

  it("says guarded actions are off when the bot has none configured, and cuts a long unknown name", async () => {
    const { fleet } = fakeFleet({});
    const { ctx } = context(fleet, []);
    (ctx.services as { guardedActions?: unknown }).guardedActions = undefined;
    expect((await errorOf(requestConfirmation(restart, ctx))).code).toBe("forbidden");
    const long = "x".repeat(80);
    const err = await errorOf(
      requestConfirmation({ ...restart, target: long }, context(fleet, ["restart-service"]).ctx),
    );
    expect(err.userMessage).toBe(`There is no node or cluster \`${"x".repeat(63)}\`.`);
  });
});

describe("guarded command arguments", () => {
  it("reads --confirm only as a value", () => {
    expect(confirmFlag({ confirm: "abc" })).toBe("abc");
    expect(confirmFlag({ confirm: true })).toBeUndefined();
    expect(confirmFlag({})).toBeUndefined();
  });

  it("accepts a config-style name and nothing else", () => {
    expect(targetNameSchema.safeParse("scan-01.contoso_x").success).toBe(true);
    for (const bad of ["", "-scan", "scan 01", "scan;rm", "a".repeat(64)]) {
      expect(targetNameSchema.safeParse(bad).success).toBe(false);
    }
    expect(targetNameSchema.safeParse("a".repeat(63)).success).toBe(true);
    const message = (r: { success: boolean; error?: { issues: { message: string }[] } }) => r.error?.issues[0]?.message;
    expect(message(targetNameSchema.safeParse(undefined))).toBe("name the node (or cluster)");
    expect(message(targetNameSchema.safeParse("a".repeat(64)))).toBe("names are at most 63 characters");
    expect(message(targetNameSchema.safeParse("scan 01"))).toBe("names use letters, digits, '.', '_' or '-'");
  });

  it("takes only a confirmation id the bot issued, and no words after the target", () => {
    expect(confirmIdSchema.safeParse("3f1c7c2e-1111-4a4a-9b9b-000000000000").success).toBe(true);
    expect(confirmIdSchema.safeParse("not-an-id").error?.issues[0]?.message).toBe(
      "that is not a confirmation id the bot issued",
    );
    expect(unexpectedWordsSchema.safeParse([]).success).toBe(true);
    expect(unexpectedWordsSchema.safeParse(["scan-02"]).error?.issues[0]?.message).toBe(
      "unexpected words after the target: one guarded action names one target",
    );
  });
});
