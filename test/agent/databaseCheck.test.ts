import { afterEach, describe, expect, it } from "vitest";
import { type DatabaseTarget, databaseKbId, findingFromError, parseSqlInstance } from "../../agent/databaseCheck.js";
import { closedPort, startTdsResponder, type TdsResponder, type TdsResponderOptions } from "../support/tdsResponder.js";
import { agentUnderTest } from "./agentUnderTest.js";

// The SQL Server client is a lazily loaded sibling file in the one-file agent; CI runs this suite against it too.
const { checkDatabase } = agentUnderTest;

const target = (port: number, overrides: Partial<DatabaseTarget> = {}): DatabaseTarget => ({
  server: "127.0.0.1",
  port,
  databaseName: "AIPScannerUL_contoso-prod",
  auth: { kind: "sql", user: "svc-aipscanner", password: "not-a-real-password" },
  encrypt: false,
  trustServerCertificate: true,
  timeoutMs: 3000,
  ...overrides,
});

describe(`database check against a TDS endpoint on loopback (${agentUnderTest.origin})`, () => {
  let responder: TdsResponder | undefined;
  afterEach(async () => {
    await responder?.close();
    responder = undefined;
  });
  const start = async (options: TdsResponderOptions) => {
    responder = await startTdsResponder(options);
    return responder;
  };

  it("passes when the database is online, case-insensitive and the account is db_owner", async () => {
    const tds = await start({ dbId: 7, isDbOwner: true });
    const check = await checkDatabase(target(tds.port));
    expect(check).toEqual({
      id: "database",
      title: "Scanner database",
      status: "ok",
      detail:
        "AIPScannerUL_contoso-prod on 127.0.0.1," +
        String(tds.port) +
        " is ONLINE (SQL_Latin1_General_CP1_CI_AS); svc-aipscanner is db_owner.",
    });
    // The name travels as a bound parameter, not inside the query text.
    const lookup = tds.queries.find((q) => q.includes("DB_ID(@name)")) ?? "";
    expect(lookup).toContain("@name nvarchar(128)");
    expect([...new Set(tds.logins.map((l) => l.database))]).toEqual(["master", "AIPScannerUL_contoso-prod"]);
    expect(tds.logins[0]?.user).toBe("svc-aipscanner");
  });

  it("says so when SQL Server refuses the connection", async () => {
    const check = await checkDatabase(target(await closedPort()));
    expect(check).toMatchObject({ status: "error", kbId: databaseKbId });
    expect(check.detail).toMatch(/refused the connection/);
  });

  it("says so when the login fails (18456)", async () => {
    const tds = await start({ login: "login-failed" });
    const check = await checkDatabase(target(tds.port));
    expect(check).toMatchObject({ status: "error", kbId: databaseKbId });
    expect(check.detail).toMatch(/rejected the login of svc-aipscanner \(Login failed for user 'svc-aipscanner'\.\)/);
  });

  it("says so when the server does not answer in time", async () => {
    const tds = await start({ silent: true });
    const check = await checkDatabase(target(tds.port, { timeoutMs: 600 }));
    expect(check).toMatchObject({ status: "error", kbId: databaseKbId });
    expect(check.detail).toMatch(/did not answer in time/);
  });

  it("says so when the database does not exist", async () => {
    const tds = await start({ dbId: null });
    const check = await checkDatabase(target(tds.port));
    expect(check.detail).toBe(
      `The database AIPScannerUL_contoso-prod does not exist on 127.0.0.1,${String(tds.port)}.`,
    );
    expect(tds.logins.every((l) => l.database === "master")).toBe(true);
  });

  it("says so when the account is not db_owner", async () => {
    const tds = await start({ dbId: 7, isDbOwner: false });
    const check = await checkDatabase(target(tds.port));
    expect(check).toMatchObject({ status: "error", kbId: databaseKbId });
    expect(check.detail).toMatch(/svc-aipscanner is not in db_owner of AIPScannerUL_contoso-prod/);
  });

  it("says so when the login cannot open the database (4060)", async () => {
    const tds = await start({ dbId: 7, canOpenDatabase: false });
    const check = await checkDatabase(target(tds.port));
    expect(check.detail).toMatch(/svc-aipscanner cannot open AIPScannerUL_contoso-prod/);
  });

  it("warns about a case-sensitive collation and an offline database", async () => {
    let tds = await start({ dbId: 7, isDbOwner: true, collation: "Latin1_General_CS_AS" });
    expect(await checkDatabase(target(tds.port))).toMatchObject({ status: "warn", kbId: databaseKbId });
    await tds.close();
    tds = await start({ dbId: 7, state: "RECOVERY_PENDING" });
    const offline = await checkDatabase(target(tds.port));
    expect(offline.detail).toMatch(/is RECOVERY_PENDING/);
  });
});

describe("database check helpers", () => {
  it("reads SqlInstance the way the scanner config prints it", () => {
    expect(parseSqlInstance("SQL01\\SCANNER")).toEqual({ server: "SQL01", instanceName: "SCANNER" });
    expect(parseSqlInstance("tcp:SQL01,14330")).toEqual({ server: "SQL01", port: 14330 });
    expect(parseSqlInstance("(local)\\SQLEXPRESS")).toEqual({ server: "localhost", instanceName: "SQLEXPRESS" });
    expect(parseSqlInstance(".")).toEqual({ server: "localhost" });
  });

  it("sorts errors the PowerShell variant reports by number", () => {
    expect(findingFromError({ number: 18456, message: "Login failed for user 'x'." }).kind).toBe("login-failed");
    expect(findingFromError({ number: 4060, message: "Cannot open database" }).kind).toBe("no-access");
    expect(findingFromError({ number: 53, message: "A network-related or instance-specific error" }).kind).toBe(
      "error",
    );
  });
});
