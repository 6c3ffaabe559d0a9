import { z } from "zod";
import { durationSchema } from "../foundation/duration.js";

/** Settings a cluster may override; each falls back to the section-wide value. */
const clusterWatchSchema = z
  .object({
    pollInterval: durationSchema.optional(),
    stallAfter: durationSchema.optional(),
    unreachableAfterPolls: z.number().int().min(1).max(100).optional(),
    reminderEvery: durationSchema.optional(),
    notifyFinished: z.boolean().optional(),
  })
  .strict();
export type ClusterWatchSection = z.infer<typeof clusterWatchSchema>;

/**
 * The `watch` section of the bot's config file: how often the watcher polls
 * the agents and how patient each rule is. Durations are `30m`-style text or
 * milliseconds.
 */
export const watchSectionSchema = z
  .object({
    /** Turns the watcher off entirely (commands still answer). */
    enabled: z.boolean().default(true),
    pollInterval: durationSchema.default(60_000),
    /** A scanning node with flat counters and a report that stopped growing for this long is stalled. */
    stallAfter: durationSchema.default(30 * 60_000),
    /** Failed polls in a row before a node counts as unreachable. */
    unreachableAfterPolls: z.number().int().min(1).max(100).default(3),
    /** How often an open, unacknowledged incident is posted again. */
    reminderEvery: durationSchema.default(2 * 3_600_000),
    /** Distinct states kept per node (repeated identical polls share one entry). */
    historySize: z.number().int().min(4).max(1000).default(50),
    /** Default for new `watch on` subscriptions: also post when a scan finishes. */
    notifyFinished: z.boolean().default(false),
    /** Whether the clusters' configured `channels` (and the console) get the live scan card; `--no-card` per chat. */
    liveCard: z.boolean().default(true),
    /**
     * A stop takes up to 5 minutes to reach every node (Stop-AIPScan): service and
     * idle transitions this soon after a stop are expected, not incidents.
     */
    stopGrace: durationSchema.default(5 * 60_000),
    /** FailedFiles rising by at least this much within `errorWindow` is an error state. */
    failedFilesJump: z.number().int().min(1).default(100),
    /** How far back error-log entries and failed-file growth count. */
    errorWindow: durationSchema.default(15 * 60_000),
    /** Healthy polls in a row before an incident counts as recovered (stops flapping). */
    clearAfterPolls: z.number().int().min(1).max(20).default(2),
    /** Per-cluster overrides, keyed by cluster name. */
    clusters: z.record(z.string(), clusterWatchSchema).default({}),
  })
  .strict();
export type WatchSection = z.infer<typeof watchSectionSchema>;

/** The settings that apply to one cluster. */
export type WatchSettings = Omit<WatchSection, "clusters" | "enabled">;

/** Section-wide values with the cluster's overrides on top. */
export function watchSettingsFor(section: WatchSection, cluster: string): WatchSettings {
  const { clusters, enabled: _enabled, ...base } = section;
  const own = clusters[cluster] ?? {};
  const overrides = Object.fromEntries(Object.entries(own).filter(([, v]) => v !== undefined));
  return { ...base, ...overrides };
}
