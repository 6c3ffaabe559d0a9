import { z } from "zod";
import type { FleetClient, FleetNode } from "../fleet/fleetClient.js";
import { requireFleet } from "../fleet/fleetTarget.js";
import { BotError } from "../foundation/botError.js";
import { formatDuration } from "../foundation/duration.js";
import { type Reply, reply } from "../reply/reply.js";
import type { CommandContext } from "../routing/command.js";
import type { ActionResult, GuardedAction } from "../wire/agentApi.js";
import type { GuardedActions } from "./guardedActions.js";

/** How one guarded action is described to people and to the agent. */
export interface GuardedRequest {
  action: GuardedAction;
  /** What the user named: a node, or a cluster for scan start/stop. */
  target: string;
  /** The command line that asked, without `--confirm` (the button repeats it with the id). */
  commandLine: string;
  /** `restart the scanner service on scan-01`. */
  description: string;
  /** Said in the confirmation dialog: what the action interrupts, what to expect. */
  consequence: string;
  reset?: boolean;
}

const actionLabels: Record<GuardedAction, string> = {
  "restart-service": "Restart service",
  "start-scan": "Start scan",
  "stop-scan": "Stop scan",
  "export-logs": "Export logs",
};

function who(ctx: CommandContext): string {
  return ctx.caller.userName ?? ctx.caller.userId;
}

function requireGuardedActions(ctx: CommandContext, action: GuardedAction): GuardedActions {
  const actions = ctx.services.guardedActions;
  if (!actions?.enabled.has(action)) {
    throw new BotError(
      "forbidden",
      `The \`${action}\` action is off in the bot's config. An admin can list it under \`actions.enabled\`; it must also be enabled in the node agent's config.`,
    );
  }
  return actions;
}

/**
 * Picks the node that will carry out the action: the named node, or for a
 * cluster the first node whose agent answers and has the action enabled
 * (Start-AIPScan / Stop-AIPScan act on the whole cluster from any node).
 */
async function chooseNode(fleet: FleetClient, request: GuardedRequest, ctx: CommandContext): Promise<FleetNode> {
  const node = fleet.findNode(request.target);
  const candidates = node ? [node] : fleet.findCluster(request.target)?.nodes;
  if (!candidates || candidates.length === 0) {
    throw new BotError(
      "not_found",
      `There is no ${node === undefined ? "node or cluster" : "node"} \`${request.target.slice(0, 63)}\`.`,
    );
  }
  const refusals: string[] = [];
  for (const candidate of candidates) {
    const health = await fleet.health(candidate.name, { signal: ctx.signal });
    if (!health.ok) {
      refusals.push(`${candidate.name}: ${health.error.userMessage}`);
      continue;
    }
    if (!health.value.actionsEnabled.includes(request.action)) {
      refusals.push(`${candidate.name}: \`${request.action}\` is not enabled in its agent's config`);
      continue;
    }
    return candidate;
  }
  throw new BotError("forbidden", `I can't ${request.description}: ${refusals.join("; ")}.`);
}

/** Asks for confirmation: a private reply with a dangerous button that repeats the command with a one-time id. */
export async function requestConfirmation(request: GuardedRequest, ctx: CommandContext): Promise<Reply> {
  const actions = requireGuardedActions(ctx, request.action);
  const fleet = requireFleet(ctx.services);
  const node = await chooseNode(fleet, request, ctx);
  const pending = await actions.ledger.request(request.action, request.target, who(ctx), request.reset ?? false);
  const minutes = Math.round(actions.ledger.ttlMs / 60_000);
  return reply(`Confirm: ${request.description}?`, { visibility: "private", status: "warn" })
    .status("warn", `Confirm: ${request.description}?`)
    .text(
      `${request.consequence} It will run through ${node.name}'s agent. The button is valid for ${minutes} minutes.`,
    )
    .actions([
      {
        label: actionLabels[request.action],
        command: `${request.commandLine} --confirm=${pending.id}`,
        style: "danger",
        confirm: {
          title: `${actionLabels[request.action]}?`,
          text: `${request.description[0]?.toUpperCase()}${request.description.slice(1)}. ${request.consequence}`,
          confirmLabel: actionLabels[request.action],
          denyLabel: "Cancel",
        },
      },
    ])
    .build();
}

function outcomeReply(
  request: GuardedRequest,
  result: ActionResult,
  node: string,
  requestedBy: string,
  confirmedBy: string,
): Reply {
  const took = formatDuration(Date.parse(result.finishedAt) - Date.parse(result.startedAt));
  const people =
    requestedBy === confirmedBy ? `by ${confirmedBy}` : `requested by ${requestedBy}, confirmed by ${confirmedBy}`;
  const done = result.outcome === "done";
  const builder = reply(`${done ? "Done" : "Failed"}: ${request.description} (${people})`, {
    visibility: "channel",
    status: done ? "ok" : "error",
  })
    .status(done ? "ok" : "error", `${done ? "Done" : "Failed"}: ${request.description}`)
    .fields([
      { label: "Who", value: people },
      { label: "Through", value: node },
      { label: "Took", value: took },
      { label: "Agent says", value: result.message },
      ...(result.artifactPath ? [{ label: "Saved on the node", value: result.artifactPath }] : []),
    ]);
  if (request.action === "stop-scan" && done) {
    builder.text("A stop can take up to 5 minutes to reach every node of the cluster.");
  }
  if (request.action === "start-scan" && done) {
    builder.text(
      "If the content scan job's schedule is Always, the scanner ignores a manual start: it is already scanning.",
    );
  }
  const built = builder.build();
  return done ? built : { ...built, failure: "action_failed" };
}

/** Runs a confirmed action exactly once; repeated clicks get the first outcome. */
export async function runConfirmed(request: GuardedRequest, confirmId: string, ctx: CommandContext): Promise<Reply> {
  const actions = requireGuardedActions(ctx, request.action);
  const fleet = requireFleet(ctx.services);
  const claim = await actions.ledger.claim(confirmId, request.action, request.target, who(ctx));
  switch (claim.kind) {
    case "unknown":
    case "expired":
      throw new BotError(
        "bad_arguments",
        `That confirmation is unknown or has expired. Run \`${request.commandLine}\` again to get a new one.`,
      );
    case "mismatch":
      throw new BotError("bad_arguments", "That confirmation belongs to another action or target.");
    case "running":
      return reply(`Already running: ${request.description}`, { visibility: "private", status: "info" })
        .status("info", `Already running: ${request.description} (confirmed by ${claim.pending.confirmedBy}).`)
        .build();
    case "done":
      return { ...claim.outcome, visibility: "private" };
    case "run":
      break;
  }
  const { pending } = claim;
  try {
    const node = await chooseNode(fleet, request, ctx);
    const outcome = await fleet.action(
      node.name,
      { action: request.action, requestId: pending.id, reset: pending.reset },
      { signal: ctx.signal },
    );
    if (!outcome.ok) {
      // Not knowing whether it ran, keep the id: a retry reaches the agent's own dedupe.
      await actions.ledger.release(pending.id);
      throw new BotError("agent_error", `I couldn't ${request.description}: ${outcome.error.userMessage}`, {
        cause: outcome.error,
      });
    }
    if (request.action === "stop-scan" && outcome.value.outcome === "done") {
      // The stop ripples through the nodes for up to 5 minutes; the watcher must not page anyone for it.
      ctx.services.watcher?.noteStop(node.cluster, ctx.services.now());
    }
    const answer = outcomeReply(request, outcome.value, node.name, pending.requestedBy, who(ctx));
    await actions.ledger.complete(pending.id, answer);
    return answer;
  } catch (err) {
    if (!(err instanceof BotError && err.code === "agent_error")) await actions.ledger.release(pending.id);
    throw err;
  }
}

/** Reads `--confirm=<id>` from a guarded command's flags. */
export function confirmFlag(flags: Record<string, string | boolean>): string | undefined {
  const value = flags.confirm;
  return typeof value === "string" ? value : undefined;
}

/** A node or cluster name as a guarded command accepts it: the config's naming rule, so nothing else reaches an agent. */
export const targetNameSchema = z
  .string({ error: "name the node (or cluster)" })
  .min(1)
  .max(63, "names are at most 63 characters")
  .regex(/^[A-Za-z0-9][A-Za-z0-9._-]*$/, "names use letters, digits, '.', '_' or '-'");

/** A confirmation id as the bot issues them. */
export const confirmIdSchema = z.string().uuid("that is not a confirmation id the bot issued").optional();

/** Guarded commands take exactly their words: `restart scan-01 scan-02` must not quietly restart only the first. */
export const unexpectedWordsSchema = z
  .array(z.string())
  .max(0, "unexpected words after the target: one guarded action names one target");
