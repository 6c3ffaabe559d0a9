import { z } from "zod";
import { durationSchema } from "../foundation/duration.js";
import { accessSectionSchema } from "./accessSection.js";
import { actionsSectionSchema } from "./actionsSection.js";
import { operationsSectionSchema } from "./operationsSection.js";
import { slackSectionSchema } from "./slackSection.js";
import { storeSectionSchema } from "./storeSection.js";
import { teamsSectionSchema } from "./teamsSection.js";
import { watchSectionSchema } from "./watchSection.js";

/**
 * The bot's configuration file: which scanner clusters exist, how to reach
 * each node's agent, how patient and how parallel the fleet client may be,
 * and the per-platform sections owned by their adapters.
 *
 * Secrets are written as `env:NAME` references; the loader resolves them from
 * the environment before this schema runs, so parsed values are the secrets.
 */

/** Names users type to address a node or cluster: `status scan-02`, `diagnose contoso-prod`. */
const addressNameSchema = z
  .string()
  .min(1, "must not be empty")
  .max(63, "must be at most 63 characters")
  .regex(/^[A-Za-z0-9][A-Za-z0-9._-]*$/, "use letters, digits, '.', '_' or '-' (starting with a letter or digit)");

const agentUrlSchema = z.url({ protocol: /^https?$/, error: "must be an http:// or https:// URL of the node agent" });

/** One scanner node as the bot reaches it: the node agent's base URL and its shared signing secret. */
export const nodeConfigSchema = z
  .object({
    name: addressNameSchema,
    url: agentUrlSchema,
    secret: z.string().min(16, "must be at least 16 characters (a random shared secret, e.g. env:SCANNER_SECRET)"),
  })
  .strict();
export type NodeConfig = z.infer<typeof nodeConfigSchema>;

/** A chat channel where the bot app itself posts (and edits, threads, offers buttons). */
const botChannelSchema = z
  .object({
    platform: z.enum(["slack", "teams"]),
    id: z.string().min(1, "must not be empty"),
  })
  .strict();

const webhookUrlSchema = z
  .url({ protocol: /^https?$/, error: "must be the webhook's https:// URL (from Slack, or from the Teams workflow)" })
  .refine((url) => url.startsWith("https://") || /^http:\/\/(127\.0\.0\.1|localhost|\[::1\])[:/]/.test(url), {
    message: "must be https:// (plain http only on loopback, for tests)",
  });

/**
 * A notify-only channel: a Slack incoming webhook or a Teams Workflows "post to a channel when a webhook
 * request is received" flow. No bot app is needed; messages cannot be edited and carry no buttons.
 */
const webhookChannelSchema = z
  .object({
    platform: z.enum(["slack-webhook", "teams-workflow"]),
    /** The webhook's address: a secret (whoever has it may post), so always `env:NAME`. */
    url: webhookUrlSchema,
    /** How logs, `watch status` and `webhook test` name it; a hash of the URL when absent. */
    name: addressNameSchema.optional(),
  })
  .strict();

/** Where a cluster's proactive messages (stall alerts) go. */
export const channelRefSchema = z.discriminatedUnion("platform", [botChannelSchema, webhookChannelSchema], {
  error: "platform must be slack, teams, slack-webhook or teams-workflow",
});
export type ChannelRef = z.infer<typeof channelRefSchema>;

const concurrencySchema = z.number().int().min(1).max(1000);

/** One scanner cluster (the portal's "cluster", formerly "profile") and its nodes. */
export const clusterConfigSchema = z
  .object({
    name: addressNameSchema,
    nodes: z.array(nodeConfigSchema).min(1, "a cluster needs at least one node"),
    channels: z.array(channelRefSchema).default([]),
    /** Per-call timeout for this cluster's agents; overrides `fleet.timeout`. */
    timeout: durationSchema.optional(),
    /** The same as `timeout`, in milliseconds, for people who prefer numbers. */
    timeoutMs: z.number().int().positive().optional(),
    /** Calls in flight to this cluster at once; overrides `fleet.perClusterConcurrency`. */
    concurrency: concurrencySchema.optional(),
  })
  .strict()
  .refine((c) => c?.timeout === undefined || c?.timeoutMs === undefined, {
    message: "give either timeout or timeoutMs, not both",
    path: ["timeoutMs"],
    // Checked even when other settings of the cluster are wrong, so one run lists everything.
    when: () => true,
  })
  .transform(({ timeoutMs, timeout, ...rest }): typeof rest & { timeoutMs?: number } => {
    const ms = timeoutMs ?? timeout;
    return ms === undefined ? rest : { ...rest, timeoutMs: ms };
  });
export type ClusterConfig = z.output<typeof clusterConfigSchema>;

/** How patient and how parallel the fleet client is. */
export const fleetSettingsSchema = z
  .object({
    /** Per-call timeout (status, errors, health, actions). */
    timeout: durationSchema.default(10_000),
    /** Diagnostics run the scanner's own checks on the node and take longer. */
    diagnosticsTimeout: durationSchema.default(90_000),
    /** Calls in flight across all clusters. */
    concurrency: concurrencySchema.default(32),
    /** Calls in flight to one cluster, unless the cluster sets its own. */
    perClusterConcurrency: concurrencySchema.default(8),
    /** Largest agent reply accepted; bigger ones are cut off and reported. */
    maxReplyBytes: z
      .number()
      .int()
      .min(1024)
      .max(64 * 1024 * 1024)
      .default(4 * 1024 * 1024),
  })
  .strict();
export type FleetSettings = z.output<typeof fleetSettingsSchema>;

/**
 * Users address nodes and clusters by bare name (`status scan-02`), so every
 * name must point at exactly one thing. Reads the tree defensively because it
 * also runs when other parts of the file are invalid.
 */
function nameClashes(config: unknown): { path: (string | number)[]; message: string }[] {
  const clashes: { path: (string | number)[]; message: string }[] = [];
  const clusters = (config as { clusters?: unknown })?.clusters;
  if (!Array.isArray(clusters)) return clashes;
  const seen = new Map<string, string>();
  const claim = (name: unknown, owner: string, path: (string | number)[], rule: string) => {
    if (typeof name !== "string" || name === "") return;
    const earlier = seen.get(name.toLowerCase());
    if (earlier) clashes.push({ path, message: `"${name}" is already used by ${earlier}; ${rule}` });
    else seen.set(name.toLowerCase(), owner);
  };
  clusters.forEach((cluster: { name?: unknown }, c) => {
    claim(cluster?.name, `cluster ${String(cluster?.name)}`, ["clusters", c, "name"], "cluster names must be unique");
  });
  clusters.forEach((cluster: { name?: unknown; nodes?: unknown }, c) => {
    if (!Array.isArray(cluster?.nodes)) return;
    cluster.nodes.forEach((node: { name?: unknown }, n) => {
      const owner = `node ${String(node?.name)} in cluster ${String(cluster.name)}`;
      const rule = "node names must be unique across all clusters and differ from cluster names";
      claim(node?.name, owner, ["clusters", c, "nodes", n, "name"], rule);
    });
  });
  return clashes;
}

/** The whole config file. */
export const botConfigSchema = z
  .object({
    fleet: fleetSettingsSchema.prefault({}),
    clusters: z.array(clusterConfigSchema).default([]),
    slack: slackSectionSchema.optional(),
    teams: teamsSectionSchema.optional(),
    watch: watchSectionSchema.optional(),
    store: storeSectionSchema.optional(),
    access: accessSectionSchema.optional(),
    actions: actionsSectionSchema.optional(),
    operations: operationsSectionSchema.optional(),
  })
  .strict()
  .superRefine(
    (config, ctx) => {
      for (const clash of nameClashes(config)) ctx.addIssue({ code: "custom", ...clash });
    },
    // Run even when other settings are wrong, so one check lists every problem.
    { when: () => true },
  );
export type BotConfig = z.output<typeof botConfigSchema>;
