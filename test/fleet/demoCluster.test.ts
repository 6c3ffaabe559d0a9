import { spawn } from "node:child_process";
import { connect } from "node:net";
import { describe, expect, it } from "vitest";
import { startDemoCluster } from "../../src/demo/demoCluster.js";

function portOpen(url: string): Promise<boolean> {
  const { hostname, port } = new URL(url);
  return new Promise((resolve) => {
    const socket = connect({ host: hostname, port: Number(port) });
    socket.once("connect", () => {
      socket.destroy();
      resolve(true);
    });
    socket.once("error", () => resolve(false));
  });
}

describe("demo cluster", () => {
  it("serves three simulated nodes through real agents, one in database trouble, one about to stall", async () => {
    let clock = Date.now();
    const demo = await startDemoCluster({ stallAfterSeconds: 60, now: () => new Date(clock) });
    try {
      expect(demo.fleet.clusters().map((c) => c.name)).toEqual(["contoso-demo"]);
      const first = await demo.fleet.statusOfCluster("contoso-demo");
      expect(first.map((o) => o.ok && [o.node, o.value.clusterStatus])).toEqual([
        ["scan-01", "Scanning"],
        ["scan-02", "Scanning"],
        ["scan-03", "Error"],
      ]);
      const scanned = (o: (typeof first)[number] | undefined) => (o?.ok ? o.value.node?.summary?.scannedFiles : -1);
      clock += 5 * 60_000;
      const later = await demo.fleet.statusOfCluster("contoso-demo");
      expect(scanned(later[0])).toBeGreaterThan(scanned(first[0]) ?? 0);
      // scan-02 stalled after 60 s: it counted for one more minute, then froze.
      clock += 5 * 60_000;
      const frozen = await demo.fleet.status("scan-02");
      expect(scanned(frozen)).toBe(scanned(later[1]));
      const errors = await demo.fleet.errors("scan-03", 10);
      expect(errors.ok && errors.value.entries.length).toBeGreaterThan(0);
      expect(JSON.stringify(demo.config)).not.toContain("env:");
    } finally {
      await demo.close();
    }
    for (const agent of demo.agents) expect(await portOpen(agent.url)).toBe(false);
  });

  it("runs piped console commands over the demo and exits 0 at end of input", async () => {
    const child = spawn(process.execPath, ["--import", "tsx", "src/cli.ts"], {
      cwd: new URL("../..", import.meta.url).pathname,
      env: { ...process.env, LOG_LEVEL: "warn" },
      stdio: ["pipe", "pipe", "pipe"],
    });
    let out = "";
    child.stdout.on("data", (chunk: Buffer) => {
      out += chunk.toString("utf8");
    });
    child.stdin.end("/scanner status\n/scanner errors scan-03 5\n");
    const code = await new Promise<number | null>((resolve) => child.on("exit", resolve));
    expect(code).toBe(0);
    expect(out).toContain("== Cluster contoso-demo ==");
    expect(out).toMatch(/scan-03 +Error/);
    expect(out).toContain("Last 5 errors on scan-03");
  }, 30_000);
});
