import { z } from "zod";

/** One line of the audit log: who ran what, where, and how it ended. */
export const auditEntrySchema = z.object({
  at: z.string(),
  platform: z.string(),
  userId: z.string(),
  userName: z.string().optional(),
  conversationId: z.string().optional(),
  command: z.string(),
  /** The command line as typed, secrets redacted and length capped. */
  line: z.string(),
  outcome: z.enum(["ok", "failed", "denied", "rejected"]),
  /** Short reason for failed / denied / rejected. */
  detail: z.string().optional(),
  durationMs: z.number().nonnegative(),
});
export type AuditEntry = z.infer<typeof auditEntrySchema>;

/** Receives audit entries. Must not throw into the command path: failures are the sink's to log. */
export interface AuditSink {
  record(entry: AuditEntry): Promise<void>;
}

/** Keeps audit entries in memory (tests, console runs without a store). */
export class InMemoryAuditSink implements AuditSink {
  readonly entries: AuditEntry[] = [];
  async record(entry: AuditEntry): Promise<void> {
    this.entries.push(entry);
  }
}
