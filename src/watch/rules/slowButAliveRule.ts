import { ageMs, latestReachable, type RuleInput, runStartThroughSilence } from "./finding.js";

/** A scan whose counters are flat while its detailed report keeps growing. */
export interface SlowScan {
  /** First poll that saw the current counters. */
  countersFlatSince: string;
  /** Newest report size and when it was last seen changing. */
  reportSize: number | undefined;
  reportGrewAt: string;
}

/**
 * Slow but alive: files and bytes stand still for `stallAfter`, but the newest
 * detailed report still grows, so the scanner is working through a large file.
 * The article says to wait; this is shown in `status`, never alerted.
 */
export function slowButAliveRule(input: RuleInput): SlowScan | undefined {
  const latest = latestReachable(input.history);
  if (!latest?.scanning) return undefined;
  const counters = (o: typeof latest) => JSON.stringify([o.startTime ?? null, o.scannedFiles, o.scannedBytes]);
  const key = counters(latest);
  const flatSince = runStartThroughSilence(input.history, (o) => o.scanning && counters(o) === key);
  if (!flatSince || ageMs(flatSince.at, input.now) < input.settings.stallAfter) return undefined;
  const report = (o: typeof latest) => JSON.stringify([o.reportPath, o.reportSize]);
  const reportSince = runStartThroughSilence(input.history, (o) => report(o) === report(latest));
  if (!reportSince || ageMs(reportSince.at, input.now) >= input.settings.stallAfter) return undefined;
  return { countersFlatSince: flatSince.at, reportSize: latest.reportSize, reportGrewAt: reportSince.at };
}
