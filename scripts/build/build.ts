/**
 * `npm run build [-- bot|agent]`: compiles the shipped programs to dist/ with esbuild (see buildTargets.ts),
 * embedding the package version and git revision, and copies the PowerShell probe scripts next to them.
 */
import { spawnSync } from "node:child_process";
import { cpSync, readFileSync, writeFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { build } from "esbuild";
import { type BuildTarget, buildTargets, distPackageJson, esbuildOptions, probeScripts } from "./buildTargets.js";

const root = fileURLToPath(new URL("../../", import.meta.url));

/** `git` in the repository, or undefined without git or a .git (a tarball or a copied tree). */
function git(args: string[]): string | undefined {
  const run = spawnSync("git", args, { cwd: root, encoding: "utf8", stdio: ["ignore", "pipe", "ignore"] });
  return run.status === 0 ? run.stdout.trim() : undefined;
}

/** The revision being built: SCANNER_BOT_REVISION if set, else the short commit (+`-dirty`), else `unknown`. */
function revision(): string {
  const given = process.env.SCANNER_BOT_REVISION?.trim();
  if (given) return given;
  const commit = git(["rev-parse", "--short=12", "HEAD"]);
  if (!commit) return "unknown";
  const dirty = git(["status", "--porcelain", "--untracked-files=no"]);
  return dirty ? `${commit}-dirty` : commit;
}

/** Builds the named targets (all when none are named) into `outDir`-relative paths under the repository. */
export async function buildAll(names: readonly string[] = []): Promise<BuildTarget[]> {
  const unknown = names.filter((n) => !buildTargets.some((t) => t.name === n));
  if (unknown.length > 0) {
    throw new Error(`unknown build target ${unknown.join(", ")}; known: ${buildTargets.map((t) => t.name).join(", ")}`);
  }
  const chosen = names.length === 0 ? buildTargets : buildTargets.filter((t) => names.includes(t.name));
  const pkg = JSON.parse(readFileSync(`${root}package.json`, "utf8")) as { version: string };
  const info = { version: pkg.version, revision: revision() };
  await Promise.all(chosen.map((t) => build({ ...esbuildOptions(t, info), absWorkingDir: root })));
  writeFileSync(`${root}${distPackageJson.path}`, distPackageJson.content);
  cpSync(`${root}${probeScripts.from}`, `${root}${probeScripts.to}`, { recursive: true });
  return [...chosen];
}

try {
  const built = await buildAll(process.argv.slice(2));
  process.stderr.write(`built ${built.map((t) => t.outfile).join(", ")}\n`);
} catch (err) {
  process.stderr.write(`build failed: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exitCode = 1;
}
