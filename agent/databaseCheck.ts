import type sql from "mssql";
import type { DiagnosticCheck } from "../src/wire/agentApi.js";

/**
 * Checks the scanner's configuration database the way the scanner needs it:
 * reachable, the login accepted, the database present and ONLINE, a
 * case-insensitive collation, and the account in db_owner. Every failure is a
 * distinct, readable check result pointing at the article's `database-errors`.
 * Only fixed queries with bound parameters are sent; the scanner's tables are
 * never read.
 */

export const databaseKbId = "database-errors";

/** Where and how to log in. */
export interface DatabaseTarget {
  server: string;
  port?: number;
  instanceName?: string;
  databaseName: string;
  auth:
    | { kind: "sql"; user: string; password: string }
    | { kind: "ntlm"; domain: string; user: string; password: string };
  encrypt: boolean;
  trustServerCertificate: boolean;
  timeoutMs: number;
}

/** What the agent found out, before it is worded. Also produced by the PowerShell (Windows login) variant. */
export type DatabaseFinding =
  | { kind: "ok"; state: string; collation: string | null; isDbOwner: boolean }
  | { kind: "refused"; message: string }
  | { kind: "unreachable"; message: string }
  | { kind: "login-failed"; message: string }
  | { kind: "timeout"; message: string }
  | { kind: "database-missing" }
  | { kind: "no-access"; message: string }
  | { kind: "error"; message: string };

/** `SQL01`, `SQL01\SCANNER`, `SQL01,1433`, `tcp:SQL01,1433`, `(local)\SQLEXPRESS` as the scanner config prints SqlInstance. */
export function parseSqlInstance(text: string): { server: string; instanceName?: string; port?: number } {
  let rest = text.trim().replace(/^tcp:/i, "");
  let port: number | undefined;
  const comma = /^(.*),(\d{1,5})$/.exec(rest);
  if (comma?.[1] && comma[2]) {
    rest = comma[1];
    port = Number(comma[2]);
  }
  const [host = "", instanceName] = rest.split("\\", 2);
  const server = host === "." || host.toLowerCase() === "(local)" ? "localhost" : host;
  return { server, ...(instanceName ? { instanceName } : {}), ...(port ? { port } : {}) };
}

function describeTarget(target: { server: string; port?: number; instanceName?: string }): string {
  return `${target.server}${target.instanceName ? `\\${target.instanceName}` : ""}${target.port ? `,${target.port}` : ""}`;
}

/** Words a finding as the `database` diagnostics check. */
export function databaseCheckResult(
  finding: DatabaseFinding,
  where: { instance: string; databaseName: string; user: string },
): DiagnosticCheck {
  const title = "Scanner database";
  const fail = (detail: string, status: "error" | "warn" = "error"): DiagnosticCheck => ({
    id: "database",
    title,
    status,
    detail,
    kbId: databaseKbId,
  });
  const { instance, databaseName, user } = where;
  switch (finding.kind) {
    case "refused":
      return fail(
        `${instance} refused the connection: is SQL Server running, listening on TCP, and does the firewall let this node in? (${finding.message})`,
      );
    case "unreachable":
      return fail(`${instance} cannot be reached from this node: ${finding.message}`);
    case "login-failed":
      return fail(`SQL Server rejected the login of ${user} (${finding.message}).`);
    case "timeout":
      return fail(`${instance} did not answer in time: ${finding.message}`);
    case "database-missing":
      return fail(`The database ${databaseName} does not exist on ${instance}.`);
    case "no-access":
      return fail(`${user} cannot open ${databaseName} on ${instance}: ${finding.message}`);
    case "error":
      return fail(`Checking ${databaseName} on ${instance} failed: ${finding.message}`);
    case "ok": {
      if (finding.state.toUpperCase() !== "ONLINE") return fail(`${databaseName} on ${instance} is ${finding.state}.`);
      if (!finding.isDbOwner) {
        return fail(`${user} is not in db_owner of ${databaseName}; the scanner service account needs db_owner.`);
      }
      // The scanner requires a case-insensitive collation (deployment prerequisites).
      if (finding.collation && /_CS_/i.test(finding.collation)) {
        return fail(`${databaseName} uses the case-sensitive collation ${finding.collation}.`, "warn");
      }
      return {
        id: "database",
        title,
        status: "ok",
        detail: `${databaseName} on ${instance} is ONLINE${finding.collation ? ` (${finding.collation})` : ""}; ${user} is db_owner.`,
      };
    }
  }
}

interface SqlFailure {
  code?: string;
  number?: number;
  message?: string;
  originalError?: { code?: string; message?: string; number?: number };
}

/** Codes and messages of an error and everything it wraps (tedious nests socket errors in an AggregateError). */
function errorChainText(err: unknown, depth = 0): string {
  if (!err || typeof err !== "object" || depth > 5) return "";
  const e = err as SqlFailure & { cause?: unknown; errors?: unknown[] };
  const parts = [
    e.code ?? "",
    e.message ?? "",
    errorChainText(e.originalError, depth + 1),
    errorChainText(e.cause, depth + 1),
  ];
  for (const inner of Array.isArray(e.errors) ? e.errors : []) parts.push(errorChainText(inner, depth + 1));
  return parts.join(" ");
}

/** Sorts an mssql/tedious error into a finding. */
export function findingFromError(err: unknown): DatabaseFinding {
  const e = (err ?? {}) as SqlFailure;
  const message = (e.message ?? String(err)).slice(0, 300);
  const inner = `${errorChainText(err)} ${message}`;
  const number = e.number ?? e.originalError?.number;
  if (/ECONNREFUSED/.test(inner)) return { kind: "refused", message };
  if (/ENOTFOUND|EHOSTUNREACH|ENETUNREACH|EAI_AGAIN/.test(inner) || e.code === "EINSTLOOKUP") {
    return { kind: "unreachable", message };
  }
  if (e.code === "ETIMEOUT" || /ETIMEDOUT|timeout/i.test(inner)) return { kind: "timeout", message };
  if (e.code === "ELOGIN" || number === 18456 || /Login failed/i.test(inner)) {
    // 4060: the login works but cannot open the database; that is about rights, not the password.
    if (number === 4060 || /Cannot open database/i.test(inner)) return { kind: "no-access", message };
    return { kind: "login-failed", message };
  }
  if (number === 916 || number === 4060) return { kind: "no-access", message };
  return { kind: "error", message };
}

function poolConfig(target: DatabaseTarget, database: string): sql.config {
  const auth =
    target.auth.kind === "ntlm"
      ? { user: target.auth.user, password: target.auth.password, domain: target.auth.domain }
      : { user: target.auth.user, password: target.auth.password };
  return {
    server: target.server,
    ...(target.port ? { port: target.port } : {}),
    database,
    ...auth,
    connectionTimeout: target.timeoutMs,
    requestTimeout: target.timeoutMs,
    pool: { min: 0, max: 1 },
    options: {
      encrypt: target.encrypt,
      trustServerCertificate: target.trustServerCertificate,
      appName: "scanner-bot-agent",
      // A diagnosis should say what is wrong now, not retry through it.
      maxRetriesOnTransientErrors: 0,
      ...(target.instanceName ? { instanceName: target.instanceName } : {}),
    },
  };
}

/** The SQL Server client; in the one-file agent a sibling file, so say which file is missing if it is. */
async function loadSqlClient(): Promise<typeof sql> {
  try {
    return (await import("mssql")).default;
  } catch (err) {
    throw new Error(
      "the SQL Server client could not be loaded: copy scanner-bot-agent-mssql.js next to scanner-bot-agent.js",
      { cause: err },
    );
  }
}

/**
 * mssql (tedious) is most of the one-file agent's code; loading it when a diagnosis asks for the database,
 * not at start, keeps the idle agent small.
 */
async function withPool<T>(
  config: sql.config,
  run: (pool: sql.ConnectionPool, mssql: typeof sql) => Promise<T>,
): Promise<T> {
  const mssql = await loadSqlClient();
  const pool = new mssql.ConnectionPool(config);
  // A pool emits 'error' for broken connections; the awaited calls below already report them.
  pool.on("error", () => {});
  try {
    await pool.connect();
    return await run(pool, mssql);
  } finally {
    await pool.close().catch(() => {});
  }
}

/** Logs in and looks: the finding, never a throw. */
export async function probeDatabase(target: DatabaseTarget): Promise<DatabaseFinding> {
  try {
    const facts = await withPool(poolConfig(target, "master"), async (pool, mssql) => {
      const result = await pool
        .request()
        .input("name", mssql.NVarChar(128), target.databaseName)
        .query<{ dbId: number | null; state: string | null; collation: string | null }>(
          "SELECT DB_ID(@name) AS dbId, d.state_desc AS state, d.collation_name AS collation FROM (SELECT 1 AS one) AS x LEFT JOIN sys.databases AS d ON d.name = @name",
        );
      return result.recordset[0];
    });
    if (!facts || facts.dbId === null || facts.dbId === undefined) return { kind: "database-missing" };
    const state = facts.state ?? "UNKNOWN";
    if (state.toUpperCase() !== "ONLINE") return { kind: "ok", state, collation: facts.collation, isDbOwner: false };
    const isDbOwner = await withPool(poolConfig(target, target.databaseName), async (pool) => {
      const result = await pool
        .request()
        .query<{ isOwner: number | null }>("SELECT IS_ROLEMEMBER('db_owner') AS isOwner");
      return result.recordset[0]?.isOwner === 1;
    });
    return { kind: "ok", state, collation: facts.collation, isDbOwner };
  } catch (err) {
    return findingFromError(err);
  }
}

/** The `database` check for a target reached with mssql. */
export async function checkDatabase(target: DatabaseTarget): Promise<DiagnosticCheck> {
  const finding = await probeDatabase(target);
  const user = target.auth.kind === "ntlm" ? `${target.auth.domain}\\${target.auth.user}` : target.auth.user;
  return databaseCheckResult(finding, { instance: describeTarget(target), databaseName: target.databaseName, user });
}
