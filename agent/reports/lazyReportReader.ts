import type { ReportReader } from "./reportDigest.js";

/**
 * The report reader, loaded with its CSV parser and zip reader on the first report request: an agent that
 * is never asked for a report (most polls are status) does not hold that code in memory.
 */
export function lazyReportReader(): ReportReader {
  let reader: Promise<ReportReader> | undefined;
  const loaded = () => {
    reader ??= import("./reportDigest.js").then((m) => m.createReportReader());
    return reader;
  };
  return {
    digest: async (nodeName, cycle, listing) => (await loaded()).digest(nodeName, cycle, listing),
    summary: async (nodeName, cycle, listing) => (await loaded()).summary(nodeName, cycle, listing),
  };
}
