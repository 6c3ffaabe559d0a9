import { spawn } from "node:child_process";
import { PassThrough } from "node:stream";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { explainCommand } from "../../commands/explain.js";
import { helpCommand } from "../../commands/help.js";
import { botConfigSchema } from "../../src/config/botConfig.js";
import { createFleetClient } from "../../src/fleet/fleetClient.js";
import { silentLogger } from "../../src/foundation/logger.js";
import { runExplainCli } from "../../src/knowledge/explainCli.js";
import { explanationJsonSchema } from "../../src/knowledge/explanationJson.js";
import { renderPlainText } from "../../src/reply/plainText.js";
import { createRouter } from "../../src/routing/router.js";

const caller = { platform: "shell" as const, userId: "u1" };
const router = createRouter([helpCommand, explainCommand], { now: () => new Date(0) }, silentLogger());
const explain = async (line: string, fallbackToExplain = false) =>
  renderPlainText(await router.dispatch(line, caller, { fallbackToExplain }).result);

/** Runs `scanner-bot explain` in-process on given words or stdin text; returns stdout. */
async function cli(words: string[], options: { json?: boolean }, stdinText = ""): Promise<string> {
  const stdin = new PassThrough();
  const stdout = new PassThrough();
  let out = "";
  stdout.on("data", (chunk: Buffer) => {
    out += chunk.toString("utf8");
  });
  stdin.end(stdinText);
  await runExplainCli(words, options, { stdin, stdout });
  return out;
}

/** Runs the real `scanner-bot` entry point in a child process with piped stdin. */
function runCli(args: string[], input: string): Promise<string> {
  const cwd = fileURLToPath(new URL("../..", import.meta.url));
  const child = spawn(process.execPath, ["--import", "tsx", "src/cli.ts", ...args], { cwd, stdio: "pipe" });
  child.stdin.end(input);
  let out = "";
  child.stdout.on("data", (chunk: Buffer) => {
    out += chunk.toString("utf8");
  });
  return new Promise((resolve, reject) => {
    child.on("error", reject);
    child.on("close", (code) => (code === 0 ? resolve(out) : reject(new Error(`exit ${code}: ${out}`))));
  });
}

describe("explain command", () => {
  it("explains a pasted error through the router", async () => {
    const text = await explain("/scanner explain SchemaMismatchException");
    expect(text).toContain("Mismatched or outdated schema");
    expect(text).toContain("Update-AIPScanner");
  });

  it("explains a whole pasted log when the first word is no command (mentions, DMs)", async () => {
    const text = await explain("2025-01-01 10:00:00 ERROR DB error on sql01", true);
    expect(text).toContain("== Database errors ==");
  });

  it("redacts secrets, warns to rotate them, and still explains", async () => {
    const text = await explain(
      'explain Set-AIPAuthentication -AppSecret "OAkk+rnuYc/u+]ah2kNxVbtrDGbS47L4" : Unable to authenticate and setup Microsoft Azure Information Protection',
    );
    expect(text).not.toContain("OAkk+rnuYc");
    expect(text).toContain("rotate them");
    expect(text).toContain("Unable to authenticate and set up the scanner");
  });

  it("answers empty, binary and control-character input clearly", async () => {
    expect(await explain("explain")).toContain("There is no error text to explain");
    expect(await explain(`explain ${"\u0001\u0002\u0003\ufffd".repeat(300)}`)).toContain("binary data");
    expect(await explain("explain \u001b[1mNo cluster found\u001b[0m")).toContain("== No cluster found ==");
  });

  it("handles a 1 MB paste", async () => {
    const text = await explain(`explain Event ID 3005 ${"lorem ipsum ".repeat(90_000)}`);
    expect(text).toContain("== Policy missing ==");
    expect(text).toContain("Input too long");
  });

  it("names the node in suggested commands when --node is given, and rejects a bad node name", async () => {
    const text = await explain("explain --node=scan-02 DB error");
    expect(text).toContain("[diagnose scan-02: diagnose scan-02]");
    expect(text).not.toContain("--node");
    expect(await explain("explain DB error")).not.toContain("diagnose");
    expect(await explain("explain --node=$(rm) DB error")).toContain("a node name is letters");
  });

  it("refuses --node naming a node the fleet does not know, instead of suggesting `diagnose` on it", async () => {
    const fleet = createFleetClient(
      botConfigSchema.parse({
        clusters: [
          { name: "contoso-prod", nodes: [{ name: "scan-02", url: "http://127.0.0.1:9", secret: "s".repeat(32) }] },
        ],
      }),
    );
    const withFleet = createRouter([explainCommand], { now: () => new Date(0), fleet }, silentLogger());
    const run = async (line: string) => renderPlainText(await withFleet.dispatch(line, caller).result);
    expect(await run("explain --node=nope Policy is missing")).toBe("[ERROR] There is no node `nope`. Nodes: scan-02.");
    expect(await run("explain --node=SCAN-02 Policy is missing")).toContain("[diagnose scan-02: diagnose scan-02]");
    fleet.close();
  });

  it("is listed by help", async () => {
    expect(await explain("help explain")).toContain("explain [--node=<node>] <error text>");
  });
});

describe("scanner-bot explain (CLI)", () => {
  it("prints JSON with matches best first", async () => {
    const out = await cli(["No", "cluster", "found"], { json: true });
    const json = explanationJsonSchema.parse(JSON.parse(out));
    expect(json.matches[0]).toMatchObject({ id: "no-cluster-found", confidence: 1, verdict: "match" });
  });

  it("reads stdin when no text is given, and keeps nearest entries out of matches", async () => {
    const out = await cli([], { json: true }, "System.Net.WebException: The remote name could not be resolved: 'x'\n");
    const json = explanationJsonSchema.parse(JSON.parse(out));
    expect(json.verdict).toBe("no_match");
    expect(json.matches).toEqual([]);
    expect(json.nearest.length).toBeGreaterThan(0);
  });

  it("reports the recognised language and the localized article in JSON", async () => {
    const out = await cli(
      [],
      { json: true },
      "Die Verbindung mit dem Remoteserver kann nicht hergestellt werden. ---> System.Net.Sockets.SocketException: Normalerweise darf jede Socketadresse (Protokoll, Netzwerkadresse oder Anschluss) nur jeweils einmal verwendet werden 40.90.4.11:443\n",
    );
    const json = explanationJsonSchema.parse(JSON.parse(out));
    expect(json.languages).toEqual([{ code: "de", name: "German" }]);
    expect(json.matches[0]).toMatchObject({ id: "unable-to-connect-to-remote-server", language: "de" });
    expect(json.matches[0]?.localizedSource).toMatch(
      /^https:\/\/learn\.microsoft\.com\/de-de\/troubleshoot\/.*#unable-to-connect-to-remote-server$/,
    );
    const english = explanationJsonSchema.parse(JSON.parse(await cli(["No", "cluster", "found"], { json: true })));
    expect(english.languages).toEqual([]);
    expect(english.matches[0]?.language).toBeNull();
  });

  it("answers a look-alike with its real inner cause in JSON, never as a match", async () => {
    const out = await cli(
      [],
      { json: true },
      "System.Net.WebException: Unable to connect to the remote server ---> System.Net.Sockets.SocketException: A connection attempt failed because the connected party did not properly respond after a period of time, or established connection failed because connected host has failed to respond 172.20.187.115:8000\n",
    );
    const json = explanationJsonSchema.parse(JSON.parse(out));
    expect(json.verdict).toBe("no_match");
    expect(json.matches).toEqual([]);
    expect(json.otherCauses.map((c) => c.id)).toEqual(["socket-timed-out"]);
  });

  it("tells a person at a terminal how to end the paste", async () => {
    const stdin = Object.assign(new PassThrough(), { isTTY: true });
    const stdout = new PassThrough();
    const stderr = new PassThrough();
    let hint = "";
    stderr.on("data", (chunk: Buffer) => {
      hint += chunk.toString("utf8");
    });
    stdin.end("No cluster found\n");
    await runExplainCli([], {}, { stdin, stdout, stderr });
    expect(hint).toContain("Ctrl-D");
  });

  it("prints the readable explanation without --json", async () => {
    expect(await cli([], {}, "Event ID: 3007")).toContain("== Missing content scan job or profile ==");
  });

  it("works end to end: piped console lines and the explain subcommand", async () => {
    expect(await runCli([], "/scanner help\n/scanner explain SchemaMismatchException\n")).toContain(
      "== Mismatched or outdated schema ==",
    );
    expect(JSON.parse(await runCli(["explain", "--json", "DB", "error"], "")).matches[0].id).toBe("database-errors");
  });
});
