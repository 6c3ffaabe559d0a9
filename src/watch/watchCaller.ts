import type { Caller } from "../access/caller.js";
import type { Platform } from "../delivery/delivery.js";
import { BotError } from "../foundation/botError.js";
import type { Services } from "../routing/services.js";
import type { Store } from "../store/store.js";

/** The store, or a clear message that this run of the bot keeps no state. */
export function requireStore(services: Services): Store {
  if (!services.store) {
    throw new BotError(
      "store_error",
      "This run of the bot has no database, so it cannot keep subscriptions, snoozes or incidents. Start the bot with a `store` section (the default SQLite file works).",
    );
  }
  return services.store;
}

/** The conversation a proactive message for this caller goes to; only chat conversations and the console qualify. */
export function callerConversation(caller: Caller): { platform: Platform; conversationId: string } {
  if (caller.platform === "cli" || !caller.conversationId) {
    throw new BotError(
      "bad_arguments",
      "Run this in a Slack channel, a Teams channel or chat, or the console: it needs a conversation to post alerts to.",
    );
  }
  return { platform: caller.platform, conversationId: caller.conversationId };
}

/** How a person is named in incidents and audit: `slack:U024BE7LH (ana)`. */
export function callerLabel(caller: Caller): string {
  return `${caller.platform}:${caller.userId}${caller.userName ? ` (${caller.userName})` : ""}`;
}

/** A node's configured spelling, or a clear error for a name the fleet does not know. Without a fleet any name goes. */
export function knownNode(services: Services, name: string): string {
  if (!services.fleet) return name;
  const node = services.fleet.findNode(name);
  if (!node) {
    const names = services.fleet
      .nodes()
      .map((n) => n.name)
      .slice(0, 20);
    throw new BotError("not_found", `There is no node \`${name.slice(0, 63)}\`. Nodes: ${names.join(", ")}.`);
  }
  return node.name;
}

/** A cluster's configured spelling, or a clear error for one the fleet does not know. Without a fleet any name goes. */
export function knownCluster(services: Services, name: string): string {
  if (!services.fleet) return name;
  const cluster = services.fleet.findCluster(name);
  const node = cluster ? undefined : services.fleet.findNode(name);
  if (node) {
    throw new BotError(
      "not_found",
      `\`${node.name}\` is a node of cluster ${node.cluster}: name the cluster (${node.cluster}) instead.`,
    );
  }
  if (!cluster) {
    const names = services.fleet.clusters().map((c) => c.name);
    throw new BotError("not_found", `There is no cluster \`${name.slice(0, 63)}\`. Clusters: ${names.join(", ")}.`);
  }
  return cluster.name;
}
