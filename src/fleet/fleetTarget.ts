import { BotError } from "../foundation/botError.js";
import type { Services } from "../routing/services.js";
import type { FleetClient, FleetCluster, FleetNode } from "./fleetClient.js";

/**
 * What a command's optional `[node|cluster]` word points at. Without a word:
 * the only cluster, or every cluster when there are several.
 */
export type FleetTarget =
  | { kind: "node"; node: FleetNode; label: string }
  | { kind: "clusters"; clusters: readonly FleetCluster[]; label: string };

/** The fleet, or a clear message that no clusters are configured. */
export function requireFleet(services: Services): FleetClient {
  if (!services.fleet || services.fleet.clusters().length === 0) {
    throw new BotError(
      "not_found",
      "No scanner clusters are configured. Add them to the config file (see `scanner-bot config check`), or run `npm start` for the demo cluster.",
    );
  }
  return services.fleet;
}

function nameList(names: readonly string[], max = 20): string {
  const shown = names.slice(0, max).join(", ");
  return names.length > max ? `${shown} and ${names.length - max} more` : shown;
}

/** Resolves a node or cluster name (case-insensitive); unknown names get the list of known ones. */
export function resolveTarget(fleet: FleetClient, name: string | undefined): FleetTarget {
  const clusters = fleet.clusters();
  if (!name) {
    const label = clusters.length === 1 ? `cluster ${clusters[0]?.name}` : `${clusters.length} clusters`;
    return { kind: "clusters", clusters, label };
  }
  const node = fleet.findNode(name);
  if (node) return { kind: "node", node, label: node.name };
  const cluster = fleet.findCluster(name);
  if (cluster) return { kind: "clusters", clusters: [cluster], label: `cluster ${cluster.name}` };
  throw new BotError(
    "not_found",
    `There is no node or cluster \`${name.slice(0, 63)}\`. Clusters: ${nameList(clusters.map((c) => c.name))}. ` +
      `Nodes: ${nameList(fleet.nodes().map((n) => n.name))}.`,
  );
}

/** Every node a target covers, in config order. */
export function targetNodes(target: FleetTarget): FleetNode[] {
  return target.kind === "node" ? [target.node] : target.clusters.flatMap((c) => [...c.nodes]);
}

/** How many nodes a target word covers, or undefined when the word names nothing (the command says so later). */
export function targetSize(fleet: FleetClient | undefined, name: string | undefined): number | undefined {
  if (!fleet) return undefined;
  const node = name ? fleet.findNode(name) : undefined;
  if (node) return 1;
  const clusters = name ? [fleet.findCluster(name)] : fleet.clusters();
  if (clusters.some((c) => c === undefined)) return undefined;
  return clusters.reduce((sum, c) => sum + (c?.nodes.length ?? 0), 0);
}
