/**
 * The agent side of the scale benchmark, in its own process so serving the
 * agents does not share an event loop with any replica: starts the loopback
 * agents, prints the fleet's clusters as one JSON line, and runs until its
 * stdin closes.
 *
 *   tsx bench/scale/agents.ts <clusters> <nodesPerCluster> <latencyMs>
 */
import { LoopbackFleet } from "../../test/scale/replicaFleet.js";

const [clusters = "20", perCluster = "10", latency = "200"] = process.argv.slice(2);
const fleet = await LoopbackFleet.start({
  clusters: Number(clusters),
  nodesPerCluster: Number(perCluster),
  latencyMs: Number(latency),
});
process.stdout.write(`${JSON.stringify(fleet.config.clusters)}\n`);
process.stdin.resume();
process.stdin.on("end", () => {
  void fleet.close().then(() => process.exit(0));
});
