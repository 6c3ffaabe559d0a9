import { afterAll, describe, expect, it } from "vitest";
import { botConfigSchema } from "../../src/config/botConfig.js";
import { silentLogger } from "../../src/foundation/logger.js";
import { type Runtime, startRuntime } from "../../src/runtime/runtime.js";
import { LoopbackAgents } from "../fleet/loopbackAgents.js";
import { PostgresTestSchemas, postgresTestUrl, probePostgres } from "../store/postgresHarness.js";
import { endToEndTestTimeoutMs, eventually } from "../support/until.js";

const postgres = await probePostgres();
const suiteName = postgres.available
  ? "`scanner-bot run` replicas on one PostgreSQL"
  : `\`scanner-bot run\` replicas on one PostgreSQL (SKIPPED: no PostgreSQL answering: ${postgres.reason})`;

describe.skipIf(!postgres.available)(suiteName, () => {
  const schemas = new PostgresTestSchemas();
  const agents = new LoopbackAgents();
  const runtimes: Runtime[] = [];
  afterAll(async () => {
    await Promise.all(runtimes.map((r) => r.stop("test over")));
    await agents.closeAll();
    await schemas.dropAll();
  });

  it("two runtimes split the clusters by lease; one stopping hands its clusters to the other", {
    timeout: endToEndTestTimeoutMs,
  }, async () => {
    const clusters = [];
    for (const name of ["contoso-prod", "contoso-dr", "fabrikam", "northwind"]) {
      const node = await agents.agent(`${name}-scan-01`, { cluster: name });
      clusters.push({ name, nodes: [{ name: node.name, url: node.url, secret: node.secret }] });
    }
    const config = botConfigSchema.parse({
      fleet: { timeout: "2s" },
      clusters,
      store: { url: postgresTestUrl, schema: schemas.name(), poolSize: 3, leaseTtl: "1s" },
      watch: { pollInterval: "200ms" },
    });
    const first = await startRuntime({ config, logger: silentLogger() });
    runtimes.push(first);
    const second = await startRuntime({ config, logger: silentLogger() });
    runtimes.push(second);
    const watched = (r: Runtime) => r.watcher?.assessments().map((x) => x.node) ?? [];
    const all = clusters.map((c) => `${c.name}-scan-01`).sort();

    // Both hold two clusters each: every node watched by exactly one runtime.
    const split = () =>
      watched(first).length === 2 &&
      watched(second).length === 2 &&
      [...watched(first), ...watched(second)].sort().join() === all.join();
    expect(await eventually(split)).toBe(true);
    expect(first.store.backend).toBe("postgres");

    // A graceful stop hands the leases back: the other runtime watches everything without waiting for the TTL.
    await first.stop("replica scaled down");
    expect(await eventually(() => watched(second).sort().join() === all.join())).toBe(true);
    // The survivor really polls the adopted nodes (its assessments come from polls, not only from targets).
    expect(await eventually(() => second.watcher?.assessments().every((x) => x.state !== "unknown") === true)).toBe(
      true,
    );
  });
});
