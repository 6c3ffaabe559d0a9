import { z } from "zod";

/**
 * The totals of one completed scan cycle of a cluster, kept so the next cycle
 * has a basis for "about 60 %" and an ETA. Written once per cycle, keyed by the
 * cluster and the scanner's own StartTime (every replica reads the same one).
 */
export const scanCycleRecordSchema = z.object({
  cluster: z.string().min(1),
  /** The scanner's StartTime of the cycle, or the bot's estimate when the nodes gave none. */
  startKey: z.string().min(1),
  startedAt: z.string(),
  finishedAt: z.string(),
  scannedFiles: z.number().int().nonnegative(),
  scannedBytes: z.number().nonnegative(),
  failedFiles: z.number().int().nonnegative(),
  repositories: z.number().int().nonnegative(),
  /** Scanned files per node at the end, for per-node estimates. */
  nodeFiles: z.record(z.string(), z.number().nonnegative()),
  /** The cluster's scanned files over the cycle: [seconds since start, files], thinned to a few hundred points. */
  curve: z.array(z.tuple([z.number().nonnegative(), z.number().nonnegative()])),
  /**
   * Where the totals come from: absent (or "watched") for a cycle the bot saw finish; "summary-report" for
   * totals read from the nodes' last Summary reports (start, bytes and course unknown; never stored).
   */
  basis: z.enum(["watched", "summary-report"]).optional(),
});
export type ScanCycleRecord = z.infer<typeof scanCycleRecordSchema>;

/** A stored cycle read back (JSON text or an already parsed value); undefined when it no longer fits the schema. */
export function storedScanCycle(stored: unknown): ScanCycleRecord | undefined {
  let value = stored;
  if (typeof stored === "string") {
    try {
      value = JSON.parse(stored);
    } catch {
      return undefined;
    }
  }
  const parsed = scanCycleRecordSchema.safeParse(value);
  return parsed.success ? parsed.data : undefined;
}

/** Where completed cycles are kept: the store implements it; tests may pass a map. */
export interface ScanCycleArchive {
  /** Keeps a completed cycle; false when that cycle (cluster + start) was already kept. */
  recordScanCycle(cycle: ScanCycleRecord): Promise<boolean>;
  /** The newest completed cycle of a cluster, if any was kept. */
  lastScanCycle(cluster: string): Promise<ScanCycleRecord | undefined>;
}
