import { spawn } from "node:child_process";
import { describe, expect, it } from "vitest";
import { endToEndTestTimeoutMs } from "../support/until.js";

/**
 * The watcher polls every node every minute for as long as the bot runs, and
 * Teams hands every command the adapter's long-lived shutdown signal: a fleet
 * call must leave nothing behind once it is done. Deriving each call's signal
 * from the long-lived ones with AbortSignal.any() kept 100–200 bytes per call
 * on Node 20 (about 200 MB a day for 500 nodes). Measured in a plain Node
 * process (fleetMemoryProcess.ts), many thousand calls each way.
 */
const root = new URL("../..", import.meta.url).pathname;

function measure(calls: number): Promise<{ plain: number; signalled: number }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ["--import", "tsx", "test/load/fleetMemoryProcess.ts", String(calls)], {
      cwd: root,
      stdio: ["ignore", "pipe", "inherit"],
    });
    let out = "";
    child.stdout.on("data", (chunk: Buffer) => {
      out += chunk.toString("utf8");
    });
    child.once("error", reject);
    child.once("close", (code) => {
      if (code === 0) resolve(JSON.parse(out) as { plain: number; signalled: number });
      else reject(new Error(`memory probe exited with ${code}`));
    });
  });
}

describe("fleet client memory over many calls", () => {
  it("keeps (almost) nothing per call, with or without a long-lived caller signal", {
    timeout: endToEndTestTimeoutMs,
  }, async () => {
    const perCall = await measure(6000);
    expect(perCall.plain).toBeLessThan(50);
    expect(perCall.signalled).toBeLessThan(50);
  });
});
