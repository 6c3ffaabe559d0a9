import { spawn } from "node:child_process";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parseConfigText } from "../../src/config/configLoader.js";

/**
 * `scanner-bot config check` over a table of broken configs, one per area of
 * the file (every section, wrong types, unknown keys, a YAML alias bomb,
 * binary junk), run as the real CLI in child processes: exit code 1, every
 * problem named by its path, no stack trace, no secret value echoed.
 */

const root = new URL("../..", import.meta.url).pathname;
const slackToken = "xoxb-1111111111-2222222222-AbCdEfGhIjKlMnOpQrStUvWx";
const signing = "8f742231b10e8888abcd99e1a0c85a5f";

interface Case {
  name: string;
  yaml: string;
  /** Every path the output must name (the part before ": "), in any order; nothing else. */
  paths: string[];
}

const cases: Case[] = [
  {
    name: "fleet, operations and store",
    yaml: `
fleet:
  timeout: -5s
  diagnosticsTimeout: forever
  concurrency: 0
  perClusterConcurrency: many
  maxReplyBytes: 10
operations:
  host: ""
  port: http
  drainTimeoutMs: -1
  tls: true
store:
  path: ""
  url: 5
  journal: wal
`,
    paths: [
      "fleet.timeout",
      "fleet.diagnosticsTimeout",
      "fleet.concurrency",
      "fleet.perClusterConcurrency",
      "fleet.maxReplyBytes",
      "store.path",
      "store.url",
      "store",
      "operations.host",
      "operations.port",
      "operations.drainTimeoutMs",
      "operations",
    ],
  },
  {
    name: "clusters (traversal in names, file URLs, missing fields) and actions",
    yaml: `
clusters:
  - name: ../contoso
    nodes:
      - name: ..\\scan-01
        url: file:///etc/passwd
        secret: env:SCANNER_SECRET_NOT_SET_ANYWHERE
      - name: /etc/passwd
        url: "http://scan-02.contoso.com:99999"
        secret: "a-shared-secret-long-enough"
      - url: https://scan-03.contoso.com:8443
  - nodes: {}
actions:
  enabled: [restart-service, format-c]
  confirm: false
`,
    paths: [
      "clusters[0].nodes[0].secret",
      "clusters[0].name",
      "clusters[0].nodes[0].name",
      "clusters[0].nodes[0].url",
      "clusters[0].nodes[1].name",
      "clusters[0].nodes[1].url",
      "clusters[0].nodes[2].name",
      "clusters[0].nodes[2].secret",
      "clusters[1].name",
      "clusters[1].nodes",
      "actions.enabled[1]",
      "actions",
    ],
  },
  {
    name: "slack (with its token written inline) and access",
    yaml: `
slack:
  botToken: ${slackToken}
  port: 70000
  path: events
  slashCommand: scanner
  apiUrl: not a url
  maxRequestBodyBytes: 1
  signingSecrt: ${signing}
access:
  admins:
    - { platform: irc, user: ana }
    - { platform: slack, user: U01, group: S01 }
    - { platform: slack }
  unknownUsers: admin
  allowedChannels:
    - { platform: slack }
`,
    paths: [
      "slack.port",
      "slack.path",
      "slack.slashCommand",
      "slack.apiUrl",
      "slack.maxRequestBodyBytes",
      "slack",
      "slack.signingSecret",
      "access.admins[0].platform",
      "access.admins[1]",
      "access.admins[2]",
      "access.allowedChannels[0].id",
      "access.unknownUsers",
    ],
  },
  {
    name: "teams and an unknown top-level section",
    yaml: `
teams:
  appId: 00000000-0000-0000-0000-000000000000
  appType: Bogus
  port: -1
  publicDomain: https://bot.contoso.com
  maxBodyBytes: 0
  endpoints:
    channelOpenIdMetadataUrl: nope
discord:
  token: ${slackToken}
`,
    paths: [
      "teams.appType",
      "teams.port",
      "teams.publicDomain",
      "teams.maxBodyBytes",
      "teams.endpoints.channelOpenIdMetadataUrl",
      "(top level)",
    ],
  },
  {
    name: "watch, with a per-cluster override",
    yaml: `
watch:
  pollInterval: soon
  stallAfter: 0
  unreachableAfterPolls: 0
  historySize: 2
  clearAfterPolls: 50
  failedFilesJump: -1
  clusters:
    contoso-prod:
      stallAfter: later
      alertChannel: C0OPS
  snooze: 1h
`,
    paths: [
      "watch.pollInterval",
      "watch.stallAfter",
      "watch.unreachableAfterPolls",
      "watch.historySize",
      "watch.failedFilesJump",
      "watch.clearAfterPolls",
      "watch.clusters.contoso-prod.stallAfter",
      "watch.clusters.contoso-prod",
      "watch",
    ],
  },
  {
    name: "sections of the wrong type",
    yaml: `
slack: ${slackToken}
teams: [1, 2]
watch: true
clusters: contoso-prod
`,
    paths: ["clusters", "slack", "teams", "watch"],
  },
];

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "scanner-config-check-"));
});
afterAll(() => rm(dir, { recursive: true, force: true }));

/** Runs `scanner-bot config check <file>` as a child process. */
function configCheck(file: string): Promise<{ code: number | null; out: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ["--import", "tsx", "src/cli.ts", "config", "check", file], {
      cwd: root,
      env: { PATH: process.env.PATH ?? "" },
    });
    let out = "";
    child.stdout.on("data", (c: Buffer) => {
      out += c.toString("utf8");
    });
    child.stderr.on("data", (c: Buffer) => {
      out += c.toString("utf8");
    });
    const timer = setTimeout(() => child.kill("SIGKILL"), 20_000);
    child.on("error", reject);
    child.on("close", (code) => {
      clearTimeout(timer);
      resolve({ code, out });
    });
  });
}

const stackFrame = /^\s+at .+[:(]/m;

const named = (problems: readonly string[]) => problems.map((l) => l.trim().split(": ")[0] ?? "").sort();

describe("config check over broken configs", () => {
  it("names every problem of every section by path (the loader, case by case)", () => {
    for (const c of cases) {
      const result = parseConfigText(c.yaml, {});
      if (result.ok) throw new Error(`${c.name}: accepted`);
      expect(named(result.problems), c.name).toEqual([...c.paths].sort());
      expect(result.problems.join("\n"), c.name).not.toContain(slackToken);
    }
  });

  it("the CLI lists them all from one file, exits 1, and prints no stack and no secret", async () => {
    const all = join(dir, "every-section.yml");
    // Every section broken at once (the wrong-type case stands alone: its sections clash with the others).
    await writeFile(
      all,
      cases
        .slice(0, -1)
        .map((c) => c.yaml.trim())
        .join("\n"),
    );
    const wrongTypes = join(dir, "wrong-types.yml");
    await writeFile(wrongTypes, cases.at(-1)?.yaml.trimStart() ?? "");
    const [every, types] = await Promise.all([configCheck(all), configCheck(wrongTypes)]);
    const expected = cases.slice(0, -1).flatMap((c) => c.paths);
    for (const [result, paths] of [
      [every, expected],
      [types, cases.at(-1)?.paths ?? []],
    ] as const) {
      expect(result.code).toBe(1);
      expect(result.out).not.toMatch(stackFrame);
      expect(result.out).not.toContain(slackToken);
      expect(result.out).not.toContain(signing);
      expect(result.out).toContain(`${paths.length} problem(s)`);
      expect(named(result.out.split("\n").filter((l) => l.startsWith("  ")))).toEqual([...paths].sort());
    }
  });

  it("refuses a YAML alias bomb and binary junk with a message, not a crash", async () => {
    const bomb = ["a: &a [lol, lol, lol, lol, lol, lol, lol, lol, lol]"];
    for (const [i, name] of ["b", "c", "d", "e", "f", "g", "h", "i"].entries()) {
      const prev = String.fromCharCode(97 + i);
      bomb.push(`${name}: &${name} [${Array(9).fill(`*${prev}`).join(", ")}]`);
    }
    const bombFile = join(dir, "bomb.yml");
    await writeFile(bombFile, `${bomb.join("\n")}\n`);
    const junkFile = join(dir, "junk.yml");
    await writeFile(
      junkFile,
      Buffer.from([0x66, 0x6c, 0x65, 0x65, 0x74, 0x3a, 0x0a, 0x00, 0xff, 0xfe, 0x0a, 0x20, 0x09, 0x3a]),
    );
    for (const { code, out } of await Promise.all([bombFile, junkFile].map(configCheck))) {
      expect(code).toBe(1);
      expect(out).not.toMatch(stackFrame);
      expect(out.trim().length).toBeGreaterThan(10);
    }
  });
});
