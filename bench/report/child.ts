/**
 * The measured half of the report bench: reads one Reports folder's last
 * cycle exactly as the agent does and prints what it found, how long it took
 * and the process's peak resident memory. Bundled into one file and run with
 * plain node, as the agent ships, so the loader's own memory is not counted.
 */
import { createReportReader } from "../../agent/reports/reportDigest.js";
import { listReportFolder } from "../../agent/reports/reportFiles.js";

const folder = process.argv[2] ?? ".";
const started = performance.now();
const digest = await createReportReader().digest("bench", "last", await listReportFolder(folder));
const seconds = (performance.now() - started) / 1000;
process.stdout.write(
  JSON.stringify({
    rows: digest.detailedReport?.rows ?? 0,
    bytes: digest.detailedReport?.bytesRead ?? 0,
    complete: digest.detailedReport?.complete ?? false,
    repositories: digest.repositories.length,
    problems: digest.problems.map((p) => p.code),
    seconds,
    cpuSeconds: (process.cpuUsage().user + process.cpuUsage().system) / 1e6,
    peakRssBytes: process.resourceUsage().maxRSS * 1024,
  }),
);
