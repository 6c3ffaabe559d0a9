/**
 * `npm run build [-- bot|agent|agent-mssql]`: compiles the shipped programs to dist/ with esbuild
 * (see buildTargets.ts), embedding the package version and git revision.
 */
import { fileURLToPath } from "node:url";
import { buildRelease } from "./buildRelease.js";
import { distDirectory } from "./buildTargets.js";

const root = fileURLToPath(new URL("../../", import.meta.url));
try {
  const built = await buildRelease({ root, outDir: distDirectory, names: process.argv.slice(2) });
  process.stderr.write(`built ${built.map((t) => `${distDirectory}/${t.outfile}`).join(", ")}\n`);
} catch (err) {
  process.stderr.write(`build failed: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exitCode = 1;
}
