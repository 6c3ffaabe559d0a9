import { spawnSync } from "node:child_process";
import {
  copyFileSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
} from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { buildRelease, routeDynamicImports } from "../../scripts/build/buildRelease.js";

/**
 * The bot as `npm run build` ships it: `scanner-bot.cjs` (the entry) runs `scanner-bot-code.cjs` through a V8
 * code cache. Built from the current sources into a folder inside the repository, so the packages the bot leaves
 * in node_modules resolve as they do from dist/.
 */
const root = fileURLToPath(new URL("../../", import.meta.url));
const release = { version: "9.8.7", revision: "test-revision" };
let work: string;
let build: string;
let config: string;
let requireLog: string;

beforeAll(async () => {
  mkdirSync(join(root, "node_modules", ".cache"), { recursive: true });
  work = mkdtempSync(join(root, "node_modules", ".cache", "bot-bundle-"));
  build = join(work, "build");
  await buildRelease({ root, outDir: build, names: ["bot"], info: release });
  config = join(work, "bot.yml");
  writeFileSync(
    config,
    "clusters:\n  - name: lab\n    nodes:\n      - name: lab-01\n        url: http://127.0.0.1:9\n        secret: env:BUNDLE_SECRET\n",
  );
  // Preloaded into the bot: names every package it requires, so the test sees what a console start loads.
  requireLog = join(work, "requireLog.cjs");
  writeFileSync(
    requireLog,
    'const M = require("node:module"); const load = M._load; const fs = require("node:fs");\n' +
      "M._load = function (request, ...rest) {\n" +
      '  if (!request.startsWith(".") && !request.startsWith("/") && !request.startsWith("node:")) fs.appendFileSync(process.env.REQUIRE_LOG, request + "\\n");\n' +
      "  return load.call(this, request, ...rest);\n};\n",
  );
}, 120_000);

afterAll(() => rmSync(work, { recursive: true, force: true }));

function run(args: string[], cacheSetting: string, options: { input?: string; node?: string[] } = {}) {
  return spawnSync(process.execPath, [...(options.node ?? []), join(build, "scanner-bot.cjs"), ...args], {
    encoding: "utf8",
    timeout: 60_000,
    input: options.input ?? "",
    env: {
      ...process.env,
      SCANNER_BOT_CODE_CACHE: cacheSetting,
      BUNDLE_SECRET: "bundle-test-secret-0123456789abcdef",
    },
  });
}

const cacheFiles = (folder: string) => readdirSync(folder).filter((f) => f.endsWith(".cache"));

describe("the built bot", () => {
  it("writes a code cache on its first start, uses it unchanged after, and answers the same", () => {
    const cache = join(work, "cache-first");
    const first = run(["--version"], cache);
    expect(first.stderr).toBe("");
    expect(first.stdout).toBe("scanner-bot 9.8.7 (test-revision)\n");
    const [file] = cacheFiles(cache);
    expect(file).toMatch(/^scanner-bot-[0-9a-f]{20}-v8-.+\.cache$/);
    const path = join(cache, file ?? "");
    // Only the user may read or write it: V8 runs the code in it.
    expect(statSync(path).mode & 0o077).toBe(0);
    expect(statSync(cache).mode & 0o077).toBe(0);
    const written = readFileSync(path);

    const second = run(["--version"], cache);
    expect(second.stdout).toBe(first.stdout);
    expect(readFileSync(path).equals(written)).toBe(true);
  });

  it("starts from a corrupt cache, replaces it, and drops another build's cache", () => {
    const cache = join(work, "cache-corrupt");
    run(["--version"], cache);
    const [file] = cacheFiles(cache);
    const path = join(cache, file ?? "");
    const garbage = Buffer.alloc(4096, 7);
    writeFileSync(path, garbage);
    writeFileSync(join(cache, "scanner-bot-00000000000000000000-v8-0-x64.cache"), "an older build's cache");

    const result = run(["--version"], cache);
    expect(result.stderr).toBe("");
    expect(result.stdout).toBe("scanner-bot 9.8.7 (test-revision)\n");
    expect(readFileSync(path).equals(garbage)).toBe(false);
    expect(cacheFiles(cache)).toEqual([file]);
  });

  it("runs without a cache where none can be written, or when told not to keep one", () => {
    const unwritable = join(work, "a-file");
    writeFileSync(unwritable, "not a folder");
    const blocked = run(["--version"], join(unwritable, "cache"));
    expect(blocked.stderr).toBe("");
    expect(blocked.stdout).toBe("scanner-bot 9.8.7 (test-revision)\n");

    const before = readdirSync(build).length;
    const off = run(["--version"], "off");
    expect(off.stdout).toBe("scanner-bot 9.8.7 (test-revision)\n");
    expect(readdirSync(build)).toHaveLength(before);
  });

  it("answers a console `help` from its cache without loading a chat SDK, a driver or the chart renderer", () => {
    const cache = join(work, "cache-console");
    const log = join(work, "console-requires.log");
    run(["console", "--config", config], cache, { input: "help\n" });
    writeFileSync(log, "");
    const env = { node: ["--require", requireLog], input: "help\n" };
    process.env.REQUIRE_LOG = log;
    const result = run(["console", "--config", config], cache, env);
    delete process.env.REQUIRE_LOG;
    expect(result.stderr).toBe("");
    expect(result.stdout).toContain("== scanner-bot commands ==");
    const loaded = new Set(readFileSync(log, "utf8").split("\n").filter(Boolean));
    expect(loaded.has("better-sqlite3")).toBe(true);
    for (const name of loaded) {
      expect(name, `${name} loads at a console start`).not.toMatch(
        /^(pg|@slack\/|botbuilder|botframework|vega|@resvg\/|prom-client|adm-zip|yauzl|papaparse|mssql|semver)/,
      );
    }
  });

  it("gives code run from the cache import() of ES-module-only packages (vega)", () => {
    // The built entry, next to a stand-in for the bot's code that asks for vega the way the bundle does.
    const folder = join(work, "import-check");
    mkdirSync(folder);
    copyFileSync(join(build, "scanner-bot.cjs"), join(folder, "scanner-bot.cjs"));
    writeFileSync(join(folder, "package.json"), '{ "type": "commonjs" }\n');
    writeFileSync(
      join(folder, "scanner-bot-code.cjs"),
      'globalThis[Symbol.for("scanner-bot.import")]("vega").then((vega) => console.log(typeof vega.View));\n',
    );
    const result = spawnSync(process.execPath, [join(folder, "scanner-bot.cjs")], {
      encoding: "utf8",
      timeout: 60_000,
      env: { ...process.env, SCANNER_BOT_CODE_CACHE: "off" },
    });
    expect(result.stderr).toBe("");
    expect(result.stdout).toBe("function\n");
    // And the real bundle asks for it through the entry's importer, never with a bare import().
    const code = readFileSync(join(build, "scanner-bot-code.cjs"), "utf8");
    expect(code).toContain('__scannerBotImport("vega")');
  });
});

describe("routing a bundle's dynamic imports", () => {
  it('routes import("package") through the given function and refuses any other import(', () => {
    expect(routeDynamicImports('a=import("vega-lite");b=import("adm-zip")', "load")).toBe(
      'a=load("vega-lite");b=load("adm-zip")',
    );
    expect(() => routeDynamicImports("a=import(name)", "load")).toThrow(/1 import\( call/);
    expect(() => routeDynamicImports("a = import (`vega`)", "load")).toThrow(/cannot be routed/);
  });
});
