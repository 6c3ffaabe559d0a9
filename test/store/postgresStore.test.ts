import pg from "pg";
import { afterAll, describe, expect, it } from "vitest";
import { storeSectionSchema } from "../../src/config/storeSection.js";
import { openReadyStore, openStore } from "../../src/store/openStore.js";
import { migratePostgres, postgresMigrations } from "../../src/store/postgresMigrations.js";
import type { NewIncident } from "../../src/store/store.js";
import { PostgresTestSchemas, postgresTestUrl, probePostgres } from "./postgresHarness.js";
import { describeStoreContract } from "./storeContract.js";

describe("the store config section", () => {
  it("keeps SQLite the default and reads the PostgreSQL settings", () => {
    expect(storeSectionSchema.parse({})).toEqual({ path: "./data/scanner-bot.db", poolSize: 10, leaseTtl: 30_000 });
    expect(
      storeSectionSchema.parse({ url: "postgresql://bot@db:5432/scanner", schema: "scanner_bot", leaseTtl: "45s" }),
    ).toMatchObject({ url: "postgresql://bot@db:5432/scanner", schema: "scanner_bot", leaseTtl: 45_000 });
  });

  it("refuses a url that is not PostgreSQL, a schema name that would need quoting and a TTL out of range", () => {
    const problems = (input: unknown) =>
      storeSectionSchema.safeParse(input).error?.issues.map((i) => `${i.path.join(".")}: ${i.message}`) ?? [];
    expect(problems({ url: "mysql://bot@db/scanner" })).toEqual(["url: must start with postgres:// or postgresql://"]);
    expect(problems({ schema: "Scanner-Bot" })).toEqual([
      "schema: use lower-case letters, digits and _ (at most 63), starting with a letter or _",
    ]);
    expect(problems({ leaseTtl: "500ms" })).toEqual(["leaseTtl: must be at least 1s"]);
    expect(problems({ leaseTtl: "soon" })).toEqual([
      'leaseTtl: "soon" is not a duration (use e.g. 90s, 30m, 1h30m, 2d)',
    ]);
    expect(problems({ host: "db" })).toHaveLength(1);
  });
});

const postgres = await probePostgres();
const suiteName = postgres.available
  ? "PostgreSQL store"
  : `PostgreSQL store (SKIPPED: no PostgreSQL answering: ${postgres.reason})`;

describe.skipIf(!postgres.available)(suiteName, () => {
  const schemas = new PostgresTestSchemas();
  afterAll(() => schemas.dropAll());

  describeStoreContract("PostgreSQL (own schema per test)", () => schemas.store());

  const stall = (over: Partial<NewIncident> = {}): NewIncident => ({
    node: "scan-07",
    cluster: "contoso-prod",
    kind: "stalled",
    summary: "No scan progress for 31m",
    since: "2026-11-25T01:00:00.000Z",
    openedAt: "2026-11-25T01:31:00.000Z",
    detail: { scannedFiles: 2280 },
    ...over,
  });

  it("two replicas racing on one schema: one incident opens, each notification key is claimed once", async () => {
    const schema = schemas.name();
    const [a, b] = [schemas.store(schema, 8), schemas.store(schema, 8)];
    await Promise.all([a.ready(), b.ready()]);
    const attempts = Array.from({ length: 24 }, (_, i) => (i % 2 === 0 ? a : b));

    const opened = await Promise.all(attempts.map((s, i) => s.openIncident(stall({ summary: `attempt ${i}` }))));
    expect(opened.filter((o) => o.created)).toHaveLength(1);
    const ids = new Set(opened.map((o) => o.incident.id));
    expect(ids.size).toBe(1);
    const [id] = ids;

    const key = `open:${id}:slack:C0SCANOPS`;
    const claims = await Promise.all(
      attempts.map((s) =>
        s.claimNotification({
          key,
          kind: "open",
          incidentId: id ?? null,
          platform: "slack",
          conversationId: "C0SCANOPS",
          createdAt: "2026-11-25T01:31:01.000Z",
        }),
      ),
    );
    expect(claims.filter(Boolean)).toHaveLength(1);

    // Resolving races too: exactly one replica gets the closed incident back (and so sends the recovery).
    const resolved = await Promise.all(attempts.map((s) => s.resolveIncident(id ?? 0, "2026-11-25T02:00:00.000Z")));
    expect(resolved.filter((r) => r !== undefined)).toHaveLength(1);
    expect(await b.listIncidents({ open: true })).toEqual([]);
  });

  it("the schema itself refuses a second open incident and a second row for one key", async () => {
    const store = schemas.store();
    await store.ready();
    const insert = `INSERT INTO incidents (node, cluster, kind, summary, since, opened_at, last_seen_at, detail)
                    VALUES ('n', 'c', 'stalled', 's', 't', 't', 't', '{}')`;
    await store.query("test", insert);
    await expect(store.query("test", insert)).rejects.toMatchObject({
      code: "store_error",
      cause: { code: "23505", constraint: "incidents_one_open" },
    });
    const note = `INSERT INTO notifications (key, kind, platform, conversation_id, state, created_at)
                  VALUES ('k', 'open', 'slack', 'C1', 'pending', 't')`;
    await store.query("test", note);
    await expect(store.query("test", note)).rejects.toMatchObject({ cause: { code: "23505" } });
  });

  it("migrates once when replicas start together, records versions, refuses a newer schema", async () => {
    const schema = schemas.name();
    const replicas = [schemas.store(schema), schemas.store(schema), schemas.store(schema)];
    await Promise.all(replicas.map((s) => s.ready()));
    const rows = await replicas[0]?.query<{ version: number }>(
      "test",
      "SELECT version FROM schema_migrations ORDER BY version",
    );
    expect(rows?.map((r) => r.version)).toEqual(postgresMigrations.map((m) => m.version));

    const client = new pg.Client({ connectionString: postgresTestUrl, options: `-c search_path=${schema}` });
    await client.connect();
    try {
      const extra = [...postgresMigrations, { version: 99, description: "test", sql: "CREATE TABLE extra (x int)" }];
      expect(await migratePostgres(client, schema, extra)).toBe(99);
      await expect(migratePostgres(client, schema)).rejects.toThrow(/newer than this bot understands/);
    } finally {
      await client.end();
    }
  });

  it("upgrades a schema from before claimers were recorded: old claims get their cluster, nobody's name", async () => {
    const schema = schemas.name();
    const client = new pg.Client({ connectionString: postgresTestUrl, options: `-c search_path=${schema}` });
    await client.connect();
    try {
      await migratePostgres(client, schema, postgresMigrations.slice(0, 3));
      await client.query(`INSERT INTO incidents (id, node, cluster, kind, summary, since, opened_at, last_seen_at, detail)
                          VALUES (1, 'scan-01', 'contoso-prod', 'stalled', 's', 't', 't', 't', '{}')`);
      const note = `INSERT INTO notifications (key, kind, incident_id, platform, conversation_id, state, created_at)
                    VALUES ($1, $2, $3, 'slack', 'C1', 'pending', '2026-11-25T01:00:00.000Z')`;
      await client.query(note, ["open:1:slack:C1", "open", 1]);
      await client.query(note, ["finished:contoso-dr:2026-11-25T00:00:00.000Z:slack:C1", "finished", null]);
    } finally {
      await client.end();
    }
    const store = schemas.store(schema);
    const rows = await store.listNotifications({ state: "pending" });
    expect(rows.map((n) => [n.key.split(":")[0], n.cluster, n.claimedBy])).toEqual([
      ["finished", "contoso-dr", null],
      ["open", "contoso-prod", null],
    ]);
  });

  it("is what openStore gives for a url, with the schema from the config", async () => {
    const schema = schemas.name();
    const store = await openReadyStore({ url: postgresTestUrl, schema });
    try {
      expect(store.backend).toBe("postgres");
      await store.setSnooze({ node: "scan-01", until: "2026-11-25T05:00:00.000Z", by: "U1", createdAt: "x" });
      const again = openStore({ url: postgresTestUrl, schema });
      expect(await again.listSnoozes("2026-11-25T04:00:00.000Z")).toMatchObject([{ node: "scan-01" }]);
      await again.close();
    } finally {
      await store.close();
    }
  });

  it("reports an unreachable server as a store_error without the password, and refuses work after close", async () => {
    const url = "postgres://scanner:hunter2-secret@127.0.0.1:1/scanner";
    const failure = await openReadyStore({ url }).catch((err: unknown) => err);
    expect(failure).toMatchObject({ code: "store_error" });
    expect(String((failure as Error).message)).not.toContain("hunter2");

    const store = schemas.store();
    await store.close();
    await expect(store.listIncidents()).rejects.toMatchObject({ code: "store_error" });
  });
});
