/**
 * The demo cluster's three agents in their own process, as scanner nodes are
 * on their own machines: their work must not land in the bot's event loop
 * while the bot's acks are being timed. Prints the fleet config (URLs and the
 * per-run secrets) as one JSON line, and stops when stdin closes.
 */
import { startDemoCluster } from "../../src/demo/demoCluster.js";
import { silentLogger } from "../../src/foundation/logger.js";

const demo = await startDemoCluster({ logger: silentLogger() });
// The bot side builds its own fleet client from this; the one in this process stays unused.
demo.fleet.close();
process.stdout.write(`${JSON.stringify({ fleet: demo.config.fleet, clusters: demo.config.clusters })}\n`);
process.stdin.resume();
process.stdin.on("end", () => {
  void demo.close().then(() => process.exit(0));
});
