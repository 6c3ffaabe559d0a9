import type { BotConfig } from "../config/botConfig.js";
import { watchSectionSchema } from "../config/watchSection.js";
import type { Delivery, Platform } from "../delivery/delivery.js";
import { channelConversationId, isNotifyOnly } from "../delivery/notifyOnly.js";
import type { FleetClient } from "../fleet/fleetClient.js";
import type { Logger } from "../foundation/logger.js";
import type { WatchLeases } from "../store/leases.js";
import type { Store } from "../store/store.js";
import { Watcher, type WatchProbe, type WatchTarget } from "./watcher.js";

/** Log entries read per poll when looking for new scanner error events. */
const errorsPerPoll = 20;

/** The watcher's view of the fleet client: status, errors and the last cycle's report digest of one node. */
export function fleetProbe(fleet: Pick<FleetClient, "status" | "errors" | "report">, readErrors = true): WatchProbe {
  return {
    status: (node) => fleet.status(node),
    ...(readErrors ? { errors: (node: string) => fleet.errors(node, errorsPerPoll) } : {}),
    report: (node) => fleet.report(node, "last"),
  };
}

/** Every configured node, read again at each cycle so a reloaded config applies. */
export function fleetTargets(fleet: Pick<FleetClient, "nodes">): () => WatchTarget[] {
  return () => fleet.nodes().map((n) => ({ node: n.name, cluster: n.cluster }));
}

export interface FleetWatchOptions {
  config: Pick<BotConfig, "clusters" | "watch">;
  fleet: FleetClient;
  store: Store;
  deliveries: Partial<Record<Platform, Delivery>>;
  logger: Logger;
  now?: () => Date;
  /** Nodes to poll; every configured node by default (a replica passes the nodes of the clusters it holds). */
  targets?: () => readonly WatchTarget[];
  /** The replica's cluster leases (whose messages it sends and settles); one process holding everything when absent. */
  leases?: WatchLeases;
  /** Least time between two messages (or card edits) to one conversation; tests on a fake clock pass 0. */
  channelIntervalMs?: number;
}

/** Turns each cluster's configured `channels` into subscriptions, so alerts flow without anyone typing `watch on`. */
export async function subscribeConfiguredChannels(
  config: Pick<BotConfig, "clusters" | "watch">,
  store: Store,
  at: Date,
): Promise<void> {
  const notifyFinished = config.watch?.notifyFinished ?? false;
  const liveCard = config.watch?.liveCard ?? true;
  const configuredHooks = new Set<string>();
  for (const cluster of config.clusters) {
    for (const channel of cluster.channels) {
      const conversationId = channelConversationId(channel);
      if (isNotifyOnly(channel.platform)) configuredHooks.add(`${channel.platform}:${conversationId}:${cluster.name}`);
      await store.addSubscription({
        platform: channel.platform,
        conversationId,
        cluster: cluster.name,
        notifyFinished,
        liveCard,
        createdBy: "config",
        createdAt: at.toISOString(),
      });
    }
  }
  // Webhooks exist only in the config (nobody can type `watch off` in one): one taken out of it stops here.
  for (const s of await store.listSubscriptions()) {
    if (isNotifyOnly(s.platform) && !configuredHooks.has(`${s.platform}:${s.conversationId}:${s.cluster}`)) {
      await store.removeSubscription(s.platform, s.conversationId, s.cluster);
    }
  }
}

/** The watcher for a config's fleet, not yet started. */
export function fleetWatcher(options: FleetWatchOptions): Watcher {
  // Completed cycles go to the store, so the next cycle's percent and ETA survive a restart.
  options.fleet.scanProgress.useArchive(options.store);
  return new Watcher({
    store: options.store,
    probe: fleetProbe(options.fleet),
    targets: options.targets ?? fleetTargets(options.fleet),
    section: options.config.watch ?? watchSectionSchema.parse({}),
    deliveries: options.deliveries,
    logger: options.logger,
    ...(options.now ? { now: options.now } : {}),
    ...(options.leases ? { leases: options.leases } : {}),
    progress: options.fleet.scanProgress,
    ...(options.channelIntervalMs === undefined ? {} : { channelIntervalMs: options.channelIntervalMs }),
  });
}

/** Subscribes the configured channels and builds the watcher. Call `start()` on the result to begin. */
export async function createFleetWatcher(options: FleetWatchOptions): Promise<Watcher> {
  await subscribeConfiguredChannels(options.config, options.store, options.now?.() ?? new Date());
  return fleetWatcher(options);
}
