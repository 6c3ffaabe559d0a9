/**
 * `tsx scripts/release/probeHealth.ts <agent url>` with the agent's secret in PROBE_SECRET: one signed
 * GET /v1/health, printed; exit 1 unless the agent answers 200 with a valid health body. Used by CI to
 * probe the one-file agent started from an empty folder.
 */
import { agentPaths, healthSchema } from "../../src/wire/agentApi.js";
import { signRequest } from "../../src/wire/requestSigning.js";

const [url] = process.argv.slice(2);
const secret = process.env.PROBE_SECRET;
if (!url || !secret) {
  process.stderr.write("usage: PROBE_SECRET=<secret> tsx scripts/release/probeHealth.ts <agent url>\n");
  process.exit(1);
}
try {
  const headers = signRequest(secret, { method: "GET", path: agentPaths.health, body: "" });
  const response = await fetch(`${url}${agentPaths.health}`, { headers, signal: AbortSignal.timeout(10_000) });
  const text = await response.text();
  const health = response.status === 200 ? healthSchema.safeParse(JSON.parse(text)) : undefined;
  if (!health?.success) {
    process.stderr.write(`health answered ${response.status}: ${text.slice(0, 500)}\n`);
    process.exitCode = 1;
  } else {
    process.stdout.write(`${JSON.stringify(health.data)}\n`);
  }
} catch (err) {
  process.stderr.write(`health probe failed: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exitCode = 1;
}
