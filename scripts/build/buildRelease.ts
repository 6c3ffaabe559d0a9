import { spawnSync } from "node:child_process";
import { cpSync, mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { dirname, isAbsolute, join } from "node:path";
import { build } from "esbuild";
import type { BuildInfo } from "../../src/foundation/buildInfo.js";
import { type BuildTarget, buildTargets, copiedFiles, esbuildOptions, outputPackageJson } from "./buildTargets.js";

/** `git` in the repository, or undefined without git or a .git (a tarball or a copied tree). */
function git(root: string, args: string[]): string | undefined {
  const run = spawnSync("git", args, { cwd: root, encoding: "utf8", stdio: ["ignore", "pipe", "ignore"] });
  return run.status === 0 ? run.stdout.trim() : undefined;
}

/**
 * The release being built: the package.json version; the revision from SCANNER_BOT_REVISION if set,
 * else the short commit (`-dirty` with uncommitted changes), else `unknown`.
 */
export function releaseOf(root: string, env: NodeJS.ProcessEnv = process.env): BuildInfo {
  const pkg: unknown = JSON.parse(readFileSync(join(root, "package.json"), "utf8"));
  const version =
    pkg && typeof pkg === "object" && "version" in pkg && typeof pkg.version === "string" ? pkg.version : "unknown";
  const given = env.SCANNER_BOT_REVISION?.trim();
  if (given) return { version, revision: given };
  const commit = git(root, ["rev-parse", "--short=12", "HEAD"]);
  if (!commit) return { version, revision: "unknown" };
  const dirty = git(root, ["status", "--porcelain", "--untracked-files=no"]);
  return { version, revision: dirty ? `${commit}-dirty` : commit };
}

/**
 * The code with every non-ASCII character written as a `\\u` escape. esbuild escapes strings, but not regular
 * expression literals or kept comments, and one such character makes V8 hold the whole file's source as
 * UTF-16 (twice the memory). The escape means the same character in regular expressions, identifiers and
 * templates; characters outside the BMP become their surrogate pair, as JavaScript strings hold them anyway.
 */
export function asciiSource(code: string): string {
  return code.replace(/[\u0080-\uffff]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`);
}

/** What earlier builds wrote and this one does not: the ESM bot and its chunks (before the code cache). */
const staleOutputs = ["chunks", "scanner-bot.mjs"];

/**
 * The bundle with every `import("package")` call made through `via` instead. Fails the build when any other
 * `import(` is left (one with a computed name, or in a string), since in code compiled by `vm.Script` it would
 * throw at its first use instead of at build time.
 */
export function routeDynamicImports(code: string, via: string): string {
  const routed = code.replace(/\bimport\((?="[^"\n]+"\))/g, `${via}(`);
  const fallback = "((specifier) => import(specifier))";
  const left = routed
    .split(fallback)
    .join("")
    .match(/\bimport\s*\(/g);
  if (left) throw new Error(`the bundle has ${left.length} import( call(s) that cannot be routed through ${via}`);
  return routed;
}

/**
 * Builds the named targets (all when none are named) into `outDir` (relative to `root` unless absolute),
 * with the files they need next to them (`copiedFiles`); returns what it built.
 */
export async function buildRelease(options: {
  root: string;
  outDir: string;
  names?: readonly string[];
  info?: BuildInfo;
}): Promise<BuildTarget[]> {
  const names = options.names ?? [];
  const unknown = names.filter((n) => !buildTargets.some((t) => t.name === n));
  if (unknown.length > 0) {
    throw new Error(`unknown build target ${unknown.join(", ")}; known: ${buildTargets.map((t) => t.name).join(", ")}`);
  }
  // The bot's code is run by its entry: one is never built without the other.
  const wanted = names.includes("bot") || names.includes("bot-entry") ? [...names, "bot", "bot-entry"] : names;
  const chosen = names.length === 0 ? [...buildTargets] : buildTargets.filter((t) => wanted.includes(t.name));
  const outDir = isAbsolute(options.outDir) ? options.outDir : join(options.root, options.outDir);
  const info = options.info ?? releaseOf(options.root);
  mkdirSync(outDir, { recursive: true });
  for (const stale of staleOutputs) rmSync(join(outDir, stale), { recursive: true, force: true });
  const results = await Promise.all(
    chosen.map(async (t) => ({
      target: t,
      result: await build({ ...esbuildOptions(t, info, outDir), absWorkingDir: options.root, write: false }),
    })),
  );
  for (const { target, result } of results) {
    for (const file of result.outputFiles ?? []) {
      mkdirSync(dirname(file.path), { recursive: true });
      const code = asciiSource(file.text);
      writeFileSync(file.path, target.dynamicImportVia ? routeDynamicImports(code, target.dynamicImportVia) : code);
    }
  }
  writeFileSync(join(outDir, "package.json"), outputPackageJson);
  for (const file of copiedFiles) cpSync(join(options.root, file.from), join(outDir, file.to), { recursive: true });
  return chosen;
}
