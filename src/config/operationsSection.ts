import { z } from "zod";

/** The `operations` section: where `/healthz`, `/readyz` and `/metrics` listen. Absent: not served. */
export const operationsSectionSchema = z
  .object({
    host: z.string().min(1).default("127.0.0.1"),
    port: z.number().int().min(0).max(65_535).default(9464),
    /** How long shutdown waits for commands in flight before it gives up on them. */
    drainTimeoutMs: z.number().int().min(0).max(600_000).default(30_000),
  })
  .strict();
export type OperationsSection = z.infer<typeof operationsSectionSchema>;
