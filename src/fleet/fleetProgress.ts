import type { ScanStatus } from "../wire/agentApi.js";

/**
 * Remembers, per node, when its scan counters or detailed report last moved.
 * A single status reply cannot say "no progress for 20 minutes"; two replies
 * a while apart can. Deliberately tiny: one entry per node, no history.
 */

export interface ProgressMark {
  /** When this node's progress counters were first seen by this bot process. */
  firstSeenAt: Date;
  lastSeenAt: Date;
  /** When the counters were last seen to change (equals firstSeenAt until they do). */
  lastChangeAt: Date;
  /** The look before that change: the change itself happened somewhere after this. */
  changedAfter: Date;
  /** How many changes were seen; 0 means the values never moved while we watched. */
  changes: number;
}

interface Entry extends ProgressMark {
  fingerprint: string;
}

/** The values that move while a scan makes progress. */
function progressFingerprint(status: ScanStatus): string {
  const s = status.node?.summary;
  const report = status.detailedReport;
  return [
    s?.scannedFiles,
    s?.failedFiles,
    s?.scannedBytes,
    s?.classified,
    s?.labeled,
    report?.sizeBytes,
    report?.lastWriteTime,
  ].join("|");
}

/** Per-node last-change tracker fed by every status reply the fleet client receives. */
export class ProgressTracker {
  private readonly entries = new Map<string, Entry>();

  /** Records one status reply and returns the node's updated mark. */
  observe(node: string, status: ScanStatus, at: Date): ProgressMark {
    const fingerprint = progressFingerprint(status);
    const entry = this.entries.get(node);
    if (!entry) {
      const created: Entry = {
        fingerprint,
        firstSeenAt: at,
        lastSeenAt: at,
        lastChangeAt: at,
        changedAfter: at,
        changes: 0,
      };
      this.entries.set(node, created);
      return { ...created };
    }
    if (entry.fingerprint !== fingerprint) {
      entry.fingerprint = fingerprint;
      entry.changedAfter = entry.lastSeenAt;
      entry.lastChangeAt = at;
      entry.changes += 1;
    }
    entry.lastSeenAt = at;
    return { ...entry };
  }

  /** The node's mark, if any status reply was seen. */
  get(node: string): ProgressMark | undefined {
    const entry = this.entries.get(node);
    return entry ? { ...entry } : undefined;
  }
}

/**
 * Best estimate of when a node last made progress. A change we saw only says
 * "somewhere between the previous look and this one", so with sparse looks the
 * detailed report's last write time (the troubleshooting article's own "is the
 * report still growing?" test) is the sharper answer, as long as it falls after
 * the previous look; without a report, the look that saw the change counts.
 */
export function lastProgressAt(mark: ProgressMark | undefined, status: ScanStatus): Date | undefined {
  const reportWrite = status.detailedReport ? new Date(status.detailedReport.lastWriteTime) : undefined;
  if (!mark || mark.changes === 0) return reportWrite;
  if (!reportWrite) return mark.lastChangeAt;
  return new Date(Math.max(reportWrite.getTime(), mark.changedAfter.getTime()));
}
