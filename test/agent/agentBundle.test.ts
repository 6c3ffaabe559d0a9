import { type ChildProcess, spawn, spawnSync } from "node:child_process";
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { asciiSource, buildRelease } from "../../scripts/build/buildRelease.js";
import { agentPaths, healthSchema, reportDigestSchema } from "../../src/wire/agentApi.js";
import { closedPort } from "../support/tdsResponder.js";
import type { agentUnderTest } from "./agentUnderTest.js";
import { agentRequest } from "./signedClient.js";

/**
 * The one-file agent as a scanner node gets it: built from the current sources (with a made-up release),
 * then `scanner-bot-agent.js` alone in an empty folder outside the repository (no node_modules, no
 * package.json), run with the plain Node that runs this suite.
 */
const root = fileURLToPath(new URL("../../", import.meta.url));
const release = { version: "9.8.7", revision: "test-revision" };
const secret = "agent-bundle-test-secret-0123456789";
let work: string;
let folder: string;

beforeAll(async () => {
  work = mkdtempSync(join(tmpdir(), "agent-bundle-"));
  await buildRelease({ root, outDir: join(work, "build"), names: ["agent"], info: release });
  folder = join(work, "node");
  mkdirSync(folder);
  copyFileSync(join(work, "build", "scanner-bot-agent.js"), join(folder, "scanner-bot-agent.js"));
  writeFileSync(
    join(folder, "agent.yml"),
    "node:\n  name: BUNDLE01\nlisten:\n  host: 127.0.0.1\n  port: 0\nsecrets:\n  - env:BUNDLE_SECRET\n" +
      "backend:\n  kind: simulator\n  cluster: lab\n",
  );
}, 60_000);

afterAll(() => rmSync(work, { recursive: true, force: true }));

const run = (args: string[]) =>
  spawnSync(process.execPath, ["scanner-bot-agent.js", ...args], { cwd: folder, encoding: "utf8", timeout: 30_000 });

/** Starts the agent and waits for the log line that says where it listens. */
function startAgent(): Promise<{ child: ChildProcess; url: string }> {
  const child = spawn(process.execPath, ["scanner-bot-agent.js", "--config", "agent.yml"], {
    cwd: folder,
    env: { ...process.env, BUNDLE_SECRET: secret },
    stdio: ["ignore", "ignore", "pipe"],
  });
  return new Promise((resolve, reject) => {
    let log = "";
    child.stderr?.on("data", (chunk: Buffer) => {
      log += chunk.toString("utf8");
      const url = /"url":"(http:\/\/127\.0\.0\.1:\d+)"/.exec(log)?.[1];
      if (url) resolve({ child, url });
    });
    child.once("exit", (code) => reject(new Error(`the agent exited with ${code} before listening:\n${log}`)));
  });
}

describe("the one-file agent, alone in an empty folder", () => {
  it("is ASCII only, so Node holds its source at one byte per character", () => {
    const code = readFileSync(join(folder, "scanner-bot-agent.js"), "latin1");
    expect(code.length).toBeGreaterThan(100_000);
    expect(code.match(/[\u0080-\uffff]/g) ?? []).toEqual([]);
  });

  it("escapes a non-ASCII character to one that means the same in code, expressions and comments", () => {
    const code = `const bullet = /^[-*\u2022]\\s/; const s = \`\u2026\${1}\`; // 31\u201334 more \u{1F600}`;
    const escaped = asciiSource(code);
    expect(escaped).not.toMatch(/[\u0080-\uffff]/);
    const evaluate = (source: string) => new Function(`${source}\nreturn [bullet.test("\u2022 item"), s];`)();
    expect(evaluate(escaped)).toEqual([true, "\u20261"]);
    expect(evaluate(escaped)).toEqual(evaluate(code));
  });

  it("prints the release it was built from", () => {
    const result = run(["--version"]);
    expect(result.stderr).toBe("");
    expect(result.stdout).toBe("scanner-bot-agent 9.8.7 (test-revision)\n");
    expect(result.status).toBe(0);
  });

  it("refuses unknown options and a missing --config with a usage message, not a stack trace", () => {
    for (const args of [["--bogus"], []]) {
      const result = run(args);
      expect(result.status).toBe(1);
      expect(result.stderr).toMatch(/^scanner-bot-agent: (Unknown option '--bogus'|--config <file> is required)/);
      expect(result.stderr).toContain("Usage: node scanner-bot-agent.js --config <file>");
      expect(result.stderr).not.toMatch(/\n\s+at /);
    }
  });

  it("checks its config and lists the problems of a bad one", () => {
    const good = spawnSync(process.execPath, ["scanner-bot-agent.js", "--config", "agent.yml", "--check"], {
      cwd: folder,
      env: { ...process.env, BUNDLE_SECRET: secret },
      encoding: "utf8",
      timeout: 30_000,
    });
    expect(good.stdout).toMatch(/^agent\.yml is valid: node BUNDLE01, simulator backend/);
    expect(good.status).toBe(0);
    const missingSecret = run(["--config", "agent.yml", "--check"]);
    expect(missingSecret.status).toBe(1);
    expect(missingSecret.stderr).toMatch(/BUNDLE_SECRET/);
    expect(missingSecret.stderr).not.toMatch(/\n\s+at /);
  });

  it("serves signed health with its release, refuses unsigned requests, and stops on SIGTERM", async () => {
    const { child, url } = await startAgent();
    const exited = new Promise<number | null>((resolve) => child.once("exit", resolve));
    try {
      const health = await agentRequest(url, agentPaths.health, { secret });
      expect(health.status).toBe(200);
      const body = healthSchema.parse(health.json);
      expect(body).toMatchObject({ agentVersion: "9.8.7", agentRevision: "test-revision", nodeName: "BUNDLE01" });
      expect((await agentRequest(url, agentPaths.status, { sign: false })).status).toBe(401);
      // The CSV parser and the zip reader travel inside the one file: the previous cycle is read from its zip.
      const report = await agentRequest(url, `${agentPaths.report}?cycle=previous`, { secret });
      expect(report.status).toBe(200);
      expect(reportDigestSchema.parse(report.json).detailedReport).toMatchObject({ zipped: true, rows: 1500 });
    } finally {
      child.kill("SIGTERM");
    }
    expect(await exited).toBe(0);
  });

  it("says which file to copy when the SQL Server client next to it is missing", async () => {
    const bundle = createRequire(import.meta.url)(join(folder, "scanner-bot-agent.js")) as typeof agentUnderTest;
    const check = await bundle.checkDatabase({
      server: "127.0.0.1",
      port: await closedPort(),
      databaseName: "AIPScannerUL_lab",
      auth: { kind: "sql", user: "scanner_check", password: "not-a-real-password" },
      encrypt: false,
      trustServerCertificate: true,
      timeoutMs: 5_000,
    });
    expect(check.status).toBe("error");
    expect(check.detail).toContain("copy scanner-bot-agent-mssql.js next to scanner-bot-agent.js");
  });
});
