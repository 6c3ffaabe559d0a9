import { spawn } from "node:child_process";
import { PassThrough } from "node:stream";
import { describe, expect, it } from "vitest";
import { PasteAssembler } from "../../adapters/shell/pastedLines.js";
import { startShellConsole } from "../../adapters/shell/shellConsole.js";
import { allCommands } from "../../commands/index.js";
import { startDemoCluster } from "../../src/demo/demoCluster.js";
import { silentLogger } from "../../src/foundation/logger.js";
import { reply } from "../../src/reply/reply.js";
import { createRouter } from "../../src/routing/router.js";
import { createBot } from "../../src/runtime/bot.js";
import { ConsoleWatch } from "../../src/runtime/consoleWatch.js";

const trace = [
  "System.Data.SqlClient.SqlException (0x80131904): A network-related or instance-specific error occurred while establishing a connection to SQL Server.",
  "   at System.Data.SqlClient.SqlInternalConnectionTds..ctor(DbConnectionPoolIdentity identity, SqlConnectionString connectionOptions)",
  "   at System.Data.ProviderBase.DbConnectionFactory.CreateConnection(DbConnectionOptions options)",
  "--- End of inner exception stack trace ---",
  "   at Microsoft.InformationProtection.Scanner.DB.ScannerDatabase.Open()",
].join("\n");

/** Runs the real CLI (the demo console) with `script` piped to its stdin; returns what it printed. */
async function runCli(script: string): Promise<{ code: number | null; out: string; err: string }> {
  const child = spawn(process.execPath, ["--import", "tsx", "src/cli.ts"], {
    cwd: new URL("../..", import.meta.url).pathname,
    env: { ...process.env, LOG_LEVEL: "warn" },
    stdio: ["pipe", "pipe", "pipe"],
  });
  let out = "";
  let err = "";
  child.stdout.on("data", (chunk: Buffer) => {
    out += chunk.toString("utf8");
  });
  child.stderr.on("data", (chunk: Buffer) => {
    err += chunk.toString("utf8");
  });
  child.stdin.end(script);
  const code = await new Promise<number | null>((resolve) => child.on("exit", resolve));
  return { code, out, err };
}

/** The answer printed after the echoed line `> start…`, up to the next echoed line. */
function answerTo(out: string, start: string): string {
  const from = out.indexOf(`> ${start}`);
  if (from === -1) throw new Error(`no answer to ${start} in:\n${out}`);
  const next = out.indexOf("\n> ", from + 2);
  return out.slice(from, next === -1 ? undefined : next);
}

/** A table row's cells, split on the runs of spaces the plain-text renderer pads with. */
function row(text: string, node: string): string[] {
  const line = text.split("\n").find((l) => new RegExp(`(^|\\s)${node}\\s`).test(l));
  if (!line) throw new Error(`no row for ${node} in:\n${text}`);
  const cells = line.trim().split(/\s{2,}/);
  return cells.slice(cells.indexOf(node));
}

describe("the console, through the real CLI", () => {
  it("explains a pasted stack trace once, and audits a guarded action run from the console", async () => {
    const { code, out, err } = await runCli(`${trace}\nrestart scan-02\naudit\n`);
    expect(err).toBe("");
    expect(code).toBe(0);
    // One paste, one explanation: no frame runs as a command of its own.
    expect(out).not.toContain("I don't know the command");
    expect(out.match(/^> /gm)).toHaveLength(3);
    expect(out).toContain("(+4 pasted lines)");
    expect(answerTo(out, "System.Data.SqlClient")).toContain("== Database errors ==");
    // The console's guarded action is in the audit log, like a chat one.
    const audit = answerTo(out, "audit");
    expect(audit).not.toContain("The audit log is empty.");
    expect(audit).toMatch(/shell console\s+restart scan-02\s+ok/);
  }, 60_000);

  it("audits a command that reported problems as ok, and only a command that could not answer as failed", async () => {
    // scan-03 of the demo is in error: `diagnose` and `status` did their job by saying so.
    const { code, out } = await runCli("diagnose scan-03\nstatus\nstatus nosuch\naudit\n");
    expect(code).toBe(0);
    const audit = answerTo(out, "audit");
    expect(audit).toMatch(/diagnose scan-03\s+ok\s/);
    expect(audit).toMatch(/shell console\s+status\s+ok\s/);
    expect(audit).toMatch(/status nosuch\s+failed: There is no node/);
  }, 60_000);

  it("promises no alerts to a piped script, whose console runs no watcher, and claims no node is fine", async () => {
    const { code, out } = await runCli("watch on\nincidents\n");
    expect(code).toBe(0);
    const watch = answerTo(out, "watch on");
    expect(watch).not.toContain("will be posted here");
    expect(watch).toContain("The watcher is not running in this bot");
    // Nothing will start it in a piped run: no "alerts start when it does".
    expect(watch).not.toContain("when it does");
    expect(watch).toContain("so this run posts no alerts");
    const incidents = answerTo(out, "incidents");
    expect(incidents).toContain("the watcher is not running in this bot, so no node is being checked");
    expect(incidents).not.toContain("look fine");
  }, 60_000);

  it("tells one story about a demo node in status, status <other node> and status <node>", async () => {
    const { code, out } = await runCli("status\nstatus scan-01\nstatus scan-03\nerrors scan-03 3\n");
    expect(code).toBe(0);
    // Every view of scan-03 agrees: the cluster table, and the other-nodes table of scan-01.
    const main = row(answerTo(out, "status\n"), "scan-03");
    const asPeer = row(answerTo(out, "status scan-01"), "scan-03");
    expect(main[1]).toMatch(/^Error/);
    expect(asPeer.slice(0, 3)).toEqual(["scan-03", "Error", main[2]]);
    // One client generation per node, in every name it shows: service and event log.
    expect(answerTo(out, "status scan-03")).toContain("(MIPScanner)");
    const errors = answerTo(out, "errors scan-03 3");
    expect(errors).not.toContain("Azure Information Protection Scanner");
    expect(errors).toContain("Microsoft Purview Information Protection Scanner");
  }, 60_000);
});

describe("the console, driven by a stream", () => {
  it("gives the prompt back after an alert is printed", async () => {
    const router = createRouter(allCommands, { now: () => new Date(0) }, silentLogger());
    const input = new PassThrough();
    const output = new PassThrough();
    let text = "";
    output.on("data", (chunk: Buffer) => {
      text += chunk.toString("utf8");
    });
    const shell = startShellConsole({ router, input, output, interactive: true });
    shell.notify(reply("scan-02: scan stalled", { status: "warn" }).text("No progress for 45s.").build());
    expect(text.trimEnd().endsWith("scanner>")).toBe(true);
    expect(text.indexOf("scan-02: scan stalled")).toBeLessThan(text.lastIndexOf("scanner> "));
    input.end();
    await shell.finished;
  });

  it("confirms a guarded action from the console and audits both steps", async () => {
    const demo = await startDemoCluster({ logger: silentLogger() });
    const watch = new ConsoleWatch({ logger: silentLogger() });
    try {
      const bot = createBot({ logger: silentLogger(), config: demo.config, fleet: demo.fleet, watch: watch.build });
      const ask = async (line: string) => {
        const input = new PassThrough();
        const output = new PassThrough();
        let text = "";
        output.on("data", (chunk: Buffer) => {
          text += chunk.toString("utf8");
        });
        const shell = startShellConsole({ router: bot.router, input, output, interactive: false });
        input.end(`${line}\n`);
        await shell.finished;
        return text;
      };
      const offer = await ask("restart scan-02");
      const confirm = /restart scan-02 --confirm=[0-9a-f-]+/.exec(offer)?.[0];
      expect(confirm).toBeDefined();
      expect(await ask(confirm ?? "")).toMatch(/Restarted service AIPScanner/);
      const audit = await ask("audit");
      expect(audit.match(/restart scan-02/g)?.length).toBeGreaterThanOrEqual(2);
      expect(audit).not.toContain("[REDACTED");
    } finally {
      await watch.stop();
      await demo.close();
    }
  });
});

describe("paste assembly", () => {
  const isCommand = (word: string) => ["status", "explain", "errors", "help"].includes(word);
  const assemble = (lines: string[]) => {
    const paste = new PasteAssembler(isCommand);
    const entries = lines.flatMap((line) => paste.push(line));
    const last = paste.flush();
    return last === undefined ? entries : [...entries, last];
  };

  it("keeps a script's commands one per line", () => {
    expect(assemble(["status", "errors scan-03 5", "", "help"])).toEqual(["status", "errors scan-03 5", "help"]);
  });

  it("joins an error line and its frames, and `explain` with the lines after it, but not the next command", () => {
    expect(assemble([...trace.split("\n"), "status"])).toEqual([trace, "status"]);
    expect(assemble(["explain the scan failed with", "Access is denied", "status"])).toEqual([
      "explain the scan failed with\nAccess is denied",
      "status",
    ]);
  });

  it("leaves a mistyped command alone: it is no paste and takes no plain line after it", () => {
    expect(assemble(["stauts", "hello there"])).toEqual(["stauts", "hello there"]);
  });
});
