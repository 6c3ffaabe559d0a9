import { readFileSync } from "node:fs";

/** The agent's version, taken from package.json so health answers never drift from the release. */
export const agentVersion: string = (() => {
  try {
    const pkg: unknown = JSON.parse(readFileSync(new URL("../package.json", import.meta.url), "utf8"));
    if (pkg && typeof pkg === "object" && "version" in pkg && typeof pkg.version === "string") return pkg.version;
  } catch {
    // Packaged without package.json next to it: report "unknown" rather than fail health checks.
  }
  return "unknown";
})();
