// Reads one Reports folder's last cycle and prints the digest's row count and peak RSS: run in a child
// process with a small heap limit, a reader that held the whole file would die of it instead.
import { createReportReader } from "../../agent/reports/reportDigest.js";
import { listReportFolder } from "../../agent/reports/reportFiles.js";

const folder = process.argv[2] ?? ".";
const digest = await createReportReader().digest("child", "last", await listReportFolder(folder));
process.stdout.write(
  JSON.stringify({ rows: digest.detailedReport?.rows ?? 0, peakRssBytes: process.resourceUsage().maxRSS * 1024 }),
);
