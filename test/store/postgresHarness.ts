import { randomBytes } from "node:crypto";
import pg from "pg";
import { PostgresStore } from "../../src/store/postgresStore.js";

/**
 * PostgreSQL for tests: the local server (trust auth on 127.0.0.1:5432,
 * database `test`), one throw-away schema per store, every schema dropped at
 * the end. Under CI=true an unreachable server is a failure, never a skip.
 */
export const postgresTestUrl = process.env.SCANNER_BOT_TEST_PG_URL ?? "postgres://postgres@127.0.0.1:5432/test";

export type PostgresAvailability = { available: true } | { available: false; reason: string };

/** Asks the test server for `SELECT 1` (2 s at most). Throws under CI=true when it does not answer. */
export async function probePostgres(): Promise<PostgresAvailability> {
  const client = new pg.Client({ connectionString: postgresTestUrl, connectionTimeoutMillis: 2000 });
  let result: PostgresAvailability;
  try {
    await client.connect();
    await client.query("SELECT 1");
    result = { available: true };
  } catch (err) {
    result = { available: false, reason: err instanceof Error ? err.message || err.name : String(err) };
  } finally {
    await client.end().catch(() => undefined);
  }
  if (!result.available) {
    const where = postgresTestUrl.replace(/\/\/[^@/]*@/, "//");
    if (process.env.CI === "true") {
      throw new Error(
        `CI=true and PostgreSQL at ${where} does not answer (${result.reason}): the PostgreSQL suites must run`,
      );
    }
    console.warn(`PostgreSQL suites SKIPPED: no PostgreSQL at ${where} (${result.reason})`);
  }
  return result;
}

/** Hands out fresh schemas and stores on the test server; `dropAll()` removes every schema it created. */
export class PostgresTestSchemas {
  private readonly schemas: string[] = [];
  private readonly stores: PostgresStore[] = [];
  private readonly run = randomBytes(4).toString("hex");

  /** A new, empty schema name (created by the first store that uses it). */
  name(): string {
    const schema = `scanner_bot_test_${this.run}_${this.schemas.length + 1}`;
    this.schemas.push(schema);
    return schema;
  }

  /** A store on `schema` (a new one by default); closed by `dropAll()` if the test did not. */
  store(schema = this.name(), poolSize = 4): PostgresStore {
    const store = new PostgresStore({ url: postgresTestUrl, schema, poolSize });
    this.stores.push(store);
    return store;
  }

  async dropAll(): Promise<void> {
    await Promise.all(this.stores.splice(0).map((s) => s.close()));
    if (this.schemas.length === 0) return;
    const client = new pg.Client({ connectionString: postgresTestUrl });
    await client.connect();
    try {
      for (const schema of this.schemas.splice(0)) {
        await client.query(`DROP SCHEMA IF EXISTS ${pg.escapeIdentifier(schema)} CASCADE`);
      }
    } finally {
      await client.end();
    }
  }
}
