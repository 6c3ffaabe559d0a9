import { afterAll, describe, expect, it } from "vitest";
import { reply } from "../../src/reply/reply.js";
import { PostgresConfirmationLedger } from "../../src/store/postgresConfirmations.js";
import { PostgresTestSchemas, probePostgres } from "./postgresHarness.js";

const postgres = await probePostgres();
const suiteName = postgres.available
  ? "guarded-action confirmations in PostgreSQL"
  : `guarded-action confirmations in PostgreSQL (SKIPPED: no PostgreSQL answering: ${postgres.reason})`;

describe.skipIf(!postgres.available)(suiteName, () => {
  const schemas = new PostgresTestSchemas();
  afterAll(() => schemas.dropAll());

  /** Two replicas' ledgers on one schema, on one clock the test sets. */
  function twoReplicas(ttlMs = 1000) {
    const clock = { now: 1_764_000_000_000 };
    const schema = schemas.name();
    const ledger = () => new PostgresConfirmationLedger(schemas.store(schema, 4), () => clock.now, ttlMs);
    return { clock, a: ledger(), b: ledger() };
  }

  it("a confirm click on another replica runs the action; later clicks anywhere see the first outcome", async () => {
    const { a, b } = twoReplicas();
    const pending = await a.request("restart-service", "scan-01", "ana");
    const claim = await b.claim(pending.id, "restart-service", "scan-01", "ben");
    expect(claim).toMatchObject({ kind: "run", pending: { id: pending.id, requestedBy: "ana", confirmedBy: "ben" } });
    expect((await a.claim(pending.id, "restart-service", "scan-01", "ana")).kind).toBe("running");
    await b.complete(pending.id, reply("Restarted the scanner service on scan-01").build());
    const again = await a.claim(pending.id, "restart-service", "scan-01", "ana");
    expect(again).toMatchObject({ kind: "done", outcome: { text: "Restarted the scanner service on scan-01" } });
  });

  it("two clicks racing on two replicas: exactly one runs", async () => {
    const { a, b } = twoReplicas();
    const pending = await a.request("stop-scan", "contoso-prod", "ana");
    const claims = await Promise.all(
      Array.from({ length: 10 }, (_, i) => (i % 2 ? a : b).claim(pending.id, "stop-scan", "contoso-prod", `U${i}`)),
    );
    expect(claims.filter((c) => c.kind === "run")).toHaveLength(1);
    expect(claims.filter((c) => c.kind === "running")).toHaveLength(9);
  });

  it("refuses other actions or targets, unknown ids and expired buttons; a released run may be confirmed again", async () => {
    const { clock, a, b } = twoReplicas(1000);
    const pending = await a.request("export-logs", "scan-01", "ana");
    expect((await b.claim(pending.id, "export-logs", "scan-02", "ben")).kind).toBe("mismatch");
    expect((await b.claim(pending.id, "restart-service", "scan-01", "ben")).kind).toBe("mismatch");
    expect((await b.claim("nope", "export-logs", "scan-01", "ben")).kind).toBe("unknown");

    expect((await b.claim(pending.id, "export-logs", "scan-01", "ben")).kind).toBe("run");
    await b.release(pending.id);
    expect((await a.claim(pending.id, "export-logs", "scan-01", "ana")).kind).toBe("run");

    const late = await a.request("stop-scan", "contoso-prod", "ana");
    clock.now += 1001;
    expect((await b.claim(late.id, "stop-scan", "contoso-prod", "ben")).kind).toBe("expired");
    expect((await b.claim(late.id, "stop-scan", "contoso-prod", "ben")).kind).toBe("unknown");
  });
});
