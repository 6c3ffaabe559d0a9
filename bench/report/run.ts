/**
 * Report bench: generates a DetailedReport of about 1 GB in a temporary
 * folder (the simulator's rows, both column sets available), aggregates it
 * the way the agent does in a separate, bundled node process, and prints the
 * time, throughput and that process's peak RSS. The folder is deleted after.
 *
 *   npm run bench:report -- [--size-mb 1024] [--encoding utf-8|utf-16le] [--columns classic|dlp]
 *
 * Targets (issue 18): peak RSS under 150 MB, at least 50 MB/s. The wall-clock
 * rate counts whatever else the machine runs; the rate per CPU second does not.
 */
import { spawnSync } from "node:child_process";
import { once } from "node:events";
import { createWriteStream } from "node:fs";
import { mkdtemp, rm, stat } from "node:fs/promises";
import { cpus, loadavg, tmpdir } from "node:os";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { build } from "esbuild";
import type { ReportEncoding } from "../../agent/reports/reportEncoding.js";
import { seededRandom } from "../../agent/simulator/seededRandom.js";
import {
  type ColumnSet,
  encodeReport,
  headerLine,
  rowLine,
  simulatedRows,
} from "../../agent/simulator/simulatedReports.js";

const { values } = parseArgs({
  options: {
    "size-mb": { type: "string", default: "1024" },
    encoding: { type: "string", default: "utf-8" },
    columns: { type: "string", default: "classic" },
  },
});
const sizeBytes = Number(values["size-mb"]) * 1024 * 1024;
const encoding = (values.encoding === "utf-16le" ? "utf-16le" : "utf-8") as ReportEncoding;
const columns = (values.columns === "dlp" ? "dlp" : "classic") as ColumnSet;
const mb = (bytes: number) => bytes / (1024 * 1024);

/** Writes the report from a pool of simulated rows picked at random, so generating 1 GB takes seconds, not minutes. */
async function generate(path: string): Promise<number> {
  const source = simulatedRows({
    repositories: [
      "\\\\fs01.contoso.com\\Finance",
      "\\\\fs01.contoso.com\\HR",
      "\\\\fs02.contoso.com\\Projects",
      "https://contoso.sharepoint.com/sites/Legal/Shared Documents",
    ],
    columns,
    seed: 18,
  });
  const pool = Array.from({ length: 8192 }, () => rowLine(source.next().value as Record<string, string>, columns));
  const random = seededRandom(42);
  const out = createWriteStream(path);
  let written = 0;
  let rows = 0;
  const first = encodeReport(headerLine(columns), encoding);
  out.write(first);
  written += first.length;
  while (written < sizeBytes) {
    const lines: string[] = [];
    for (let i = 0; i < 20_000; i++) lines.push(pool[Math.floor(random() * pool.length)] as string);
    rows += lines.length;
    const chunk = Buffer.from(lines.join(""), encoding === "utf-8" ? "utf8" : "utf16le");
    written += chunk.length;
    if (!out.write(chunk)) await once(out, "drain");
  }
  out.end();
  await once(out, "finish");
  return rows;
}

const work = await mkdtemp(join(tmpdir(), "scanner-bot-bench-report-"));
try {
  const report = join(work, "Reports");
  await import("node:fs/promises").then((fs) => fs.mkdir(report));
  const path = join(report, "DetailedReport_2026_11_25_08_00_00.csv");
  const genStart = performance.now();
  const rows = await generate(path);
  const size = (await stat(path)).size;
  console.log(
    `generated ${mb(size).toFixed(0)} MB (${rows.toLocaleString("en-US")} rows, ${columns} columns, ${encoding}) in ${((performance.now() - genStart) / 1000).toFixed(1)} s`,
  );
  const bundle = join(work, "child.mjs");
  await build({
    entryPoints: [join(import.meta.dirname, "child.ts")],
    bundle: true,
    platform: "node",
    format: "esm",
    target: "node20",
    outfile: bundle,
    logLevel: "error",
    banner: { js: "import { createRequire } from 'node:module'; const require = createRequire(import.meta.url);" },
  });
  const idle = spawnSync(
    process.execPath,
    ["-e", "process.stdout.write(String(process.resourceUsage().maxRSS * 1024))"],
    {
      encoding: "utf8",
    },
  );
  const child = spawnSync(process.execPath, [bundle, report], { encoding: "utf8", maxBuffer: 1024 * 1024 });
  if (child.status !== 0) throw new Error(`the reading process failed: ${child.stderr.slice(-2000)}`);
  const result = JSON.parse(child.stdout) as {
    rows: number;
    bytes: number;
    complete: boolean;
    repositories: number;
    problems: string[];
    seconds: number;
    cpuSeconds: number;
    peakRssBytes: number;
  };
  const rate = mb(result.bytes) / result.seconds;
  const peak = mb(result.peakRssBytes);
  console.log(
    `aggregated ${result.rows.toLocaleString("en-US")} rows in ${result.repositories} repositories (complete: ${result.complete}; problems: ${result.problems.join(", ") || "none"})`,
  );
  // The wall-clock rate depends on what else runs; the rate per CPU second is the reader's own speed.
  console.log(
    `time ${result.seconds.toFixed(1)} s, ${rate.toFixed(0)} MB/s (target >= 50); CPU ${result.cpuSeconds.toFixed(1)} s, ` +
      `${(mb(result.bytes) / result.cpuSeconds).toFixed(0)} MB per CPU second; load average ${loadavg()[0]?.toFixed(1)} on ${cpus().length} cores`,
  );
  console.log(
    `peak RSS ${peak.toFixed(0)} MB (target < 150; an idle node process here: ${mb(Number(idle.stdout)).toFixed(0)} MB)`,
  );
  if (result.rows !== rows) console.log(`MISMATCH: ${rows} rows written, ${result.rows} counted`);
  console.log(rate >= 50 && peak < 150 && result.rows === rows ? "targets met" : "targets NOT met");
} finally {
  await rm(work, { recursive: true, force: true });
}
