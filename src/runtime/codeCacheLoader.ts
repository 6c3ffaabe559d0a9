/**
 * What the bot's entry in dist/ (`dist/scanner-bot.cjs`, from codeCacheEntry.ts) does: runs the bundled bot (`dist/scanner-bot-code.cjs`) through a
 * V8 code cache. Node 20 has no compile cache of its own (`module.enableCompileCache` came in 22), so without this
 * every start parses and compiles about 1 MB of JavaScript before it can answer `help`.
 *
 * Where the cache lives (`SCANNER_BOT_CODE_CACHE`): unset, in `.cache/` next to the bundle when that folder can be
 * written, else in the user's own cache folder (`$XDG_CACHE_HOME` or `~/.cache`, `scanner-bot/`, mode 0700); a
 * folder path, there; `off`, nowhere. A cache is never taken from a folder others may write to (such as /tmp):
 * V8 would run the code in it. Its file name holds a hash of the bundle's text, the V8 version and the
 * architecture, because V8 itself checks only the source's length.
 */
import { createHash } from "node:crypto";
import { mkdirSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from "node:fs";
import Module, { createRequire } from "node:module";
import { homedir } from "node:os";
import { dirname, join } from "node:path";
import { Script } from "node:vm";

/** How long a long-running process (`run`, `agent`) runs before its cache is written, when it never exits. */
const writeAfterMs = 15_000;

/** The bundle's code, loaded by Node's own CommonJS loader, reaches ES modules (vega) through this. */
const importer = (specifier: string): Promise<unknown> => import(specifier);

/** The folders to keep the cache in, first choice first. */
export function cacheFolders(bundleDir: string, env: NodeJS.ProcessEnv): string[] {
  const setting = env.SCANNER_BOT_CODE_CACHE?.trim();
  if (setting === "off") return [];
  if (setting) return [setting];
  const userCache = env.XDG_CACHE_HOME?.trim() || join(homedir(), ".cache");
  return [join(bundleDir, ".cache"), join(userCache, "scanner-bot")];
}

/** The cache file's name: the bundle's text hash, the V8 version and the architecture. */
export function cacheFileName(source: string): string {
  const hash = createHash("sha256").update(source).digest("hex").slice(0, 20);
  return `scanner-bot-${hash}-v8-${process.versions.v8}-${process.arch}.cache`;
}

function readCache(folders: readonly string[], name: string): { folder: string; data: Buffer } | undefined {
  for (const folder of folders) {
    try {
      return { folder, data: readFileSync(join(folder, name)) };
    } catch {
      // Not there (or unreadable): try the next folder.
    }
  }
  return undefined;
}

/** Writes the cache atomically into the first folder that takes it, and drops other builds' caches there. */
function writeCache(folders: readonly string[], name: string, data: Buffer): void {
  for (const folder of folders) {
    try {
      mkdirSync(folder, { recursive: true, mode: 0o700 });
      const temporary = join(folder, `${name}.${process.pid}.tmp`);
      writeFileSync(temporary, data, { mode: 0o600 });
      renameSync(temporary, join(folder, name));
      for (const old of readdirSync(folder)) {
        if (old !== name && old.startsWith("scanner-bot-") && old.endsWith(".cache"))
          rmSync(join(folder, old), { force: true });
      }
      return;
    } catch {
      // A read-only install or no home folder: the next folder, or no cache. Starts are slower, nothing breaks.
    }
  }
}

/** Runs the CommonJS file `bundle` as a module, with its compiled code cached between starts. */
export function runWithCodeCache(bundle: string, env: NodeJS.ProcessEnv = process.env): void {
  const source = readFileSync(bundle, "utf8");
  const folders = cacheFolders(dirname(bundle), env);
  const name = cacheFileName(source);
  const cached = folders.length > 0 ? readCache(folders, name) : undefined;
  const script = new Script(Module.wrap(source), { filename: bundle, ...(cached ? { cachedData: cached.data } : {}) });
  const run = script.runInThisContext() as (...args: unknown[]) => void;
  const bundleModule = new Module(bundle);
  bundleModule.filename = bundle;
  (globalThis as Record<symbol, unknown>)[Symbol.for("scanner-bot.import")] = importer;
  if (folders.length > 0 && (!cached || script.cachedDataRejected)) {
    // Written after the code has run, so it holds the functions a start compiled, not only the top level.
    let written = false;
    const write = () => {
      if (written) return;
      written = true;
      writeCache(folders, name, script.createCachedData());
    };
    process.once("exit", write);
    setTimeout(write, writeAfterMs).unref();
  }
  run.call(bundleModule.exports, bundleModule.exports, createRequire(bundle), bundleModule, bundle, dirname(bundle));
}
