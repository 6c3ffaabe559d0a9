import { readFileSync } from "node:fs";

/** Which release a running bot or agent is: the package version and the git revision it was built from. */
export interface BuildInfo {
  version: string;
  /** Short git commit (with `-dirty` if the tree had uncommitted changes), `source` when run unbuilt. */
  revision: string;
}

// Replaced by the build (scripts/build) with the values of the commit being built; absent when run from source.
declare const __SCANNER_BOT_BUILD__: BuildInfo | undefined;

/** Run from source (tsx, tests): the version from package.json, no revision to claim. */
function fromSource(): BuildInfo {
  try {
    const pkg: unknown = JSON.parse(readFileSync(new URL("../../package.json", import.meta.url), "utf8"));
    if (pkg && typeof pkg === "object" && "version" in pkg && typeof pkg.version === "string") {
      return { version: pkg.version, revision: "source" };
    }
  } catch {
    // No package.json where the sources expect it: report "unknown" rather than fail a health check.
  }
  return { version: "unknown", revision: "source" };
}

/** This process's release, embedded at build time so a copied bundle needs no package.json or .git. */
export const buildInfo: BuildInfo = typeof __SCANNER_BOT_BUILD__ === "undefined" ? fromSource() : __SCANNER_BOT_BUILD__;

/** `0.1.0 (a1b2c3d4e5f6)`: what `--version` prints and logs carry. */
export function describeBuild(info: BuildInfo = buildInfo): string {
  return `${info.version} (${info.revision})`;
}
