import { spawn } from "node:child_process";
import { describe, expect, it } from "vitest";

/** Pipes lines into the console (`npm start` without a config: the demo cluster) and returns what it printed. */
async function console(input: string): Promise<string> {
  const child = spawn(process.execPath, ["--import", "tsx", "src/cli.ts"], {
    cwd: new URL("../..", import.meta.url).pathname,
    env: { ...process.env, LOG_LEVEL: "warn" },
    stdio: ["pipe", "pipe", "pipe"],
  });
  let out = "";
  child.stdout.on("data", (chunk: Buffer) => {
    out += chunk.toString("utf8");
  });
  child.stdin.end(input);
  await new Promise((resolve) => child.on("exit", resolve));
  return out;
}

describe("the console says what happened", () => {
  it("prints a confirmation's headline (who, until when) and a text-only answer, not just the detail lines", async () => {
    const out = await console("/scanner snooze scan-02 1h\n/scanner snooze scan-01 off\n");
    expect(out).toMatch(/\[ok\] Alerts for scan-02 snoozed by \S+ for 1h, until \d\d:\d\d UTC\./);
    expect(out).toContain("Recoveries are still posted.");
    expect(out).toContain("scan-01 was not snoozed.");
  });
});
