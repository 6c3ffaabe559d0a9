import {
  type Claim,
  type ConfirmationBook,
  newPendingAction,
  type PendingAction,
} from "../actions/confirmationLedger.js";
import { type Reply, replySchema } from "../reply/reply.js";
import { type GuardedAction, guardedActionSchema } from "../wire/agentApi.js";
import type { PostgresStore } from "./postgresStore.js";
import type { Row } from "./storeRows.js";

function pendingFromRow(row: Row): PendingAction {
  return {
    id: String(row.id),
    action: guardedActionSchema.parse(row.action),
    target: String(row.target),
    reset: row.reset === true,
    requestedBy: String(row.requested_by),
    createdAt: Number(row.created_at),
    state: row.state === "done" ? "done" : row.state === "running" ? "running" : "pending",
    ...(row.confirmed_by ? { confirmedBy: String(row.confirmed_by) } : {}),
    ...(row.outcome ? { outcome: replySchema.parse(JSON.parse(String(row.outcome))) } : {}),
  };
}

/**
 * The guarded-action confirmation ledger in PostgreSQL, for replicas: the
 * confirm click may reach another replica than the request did, and two
 * clicks may reach two replicas at once. The claim is one conditional update
 * (pending → running), so exactly one of them runs the action; the others
 * see it running, or its outcome. Same rules and clock as ConfirmationLedger.
 */
export class PostgresConfirmationLedger implements ConfirmationBook {
  constructor(
    private readonly store: PostgresStore,
    private readonly now: () => number = Date.now,
    /** How long a confirmation button stays valid. */
    readonly ttlMs = 10 * 60_000,
  ) {}

  async request(action: GuardedAction, target: string, requestedBy: string, reset = false): Promise<PendingAction> {
    const createdAt = this.now();
    // Confirmations twice the TTL old can no longer be claimed or shown: drop them as new ones arrive.
    await this.store.query("forget old confirmations", "DELETE FROM action_confirmations WHERE created_at < $1", [
      createdAt - 2 * this.ttlMs,
    ]);
    const pending = newPendingAction(action, target, requestedBy, reset, createdAt);
    await this.store.query(
      "record a confirmation",
      `INSERT INTO action_confirmations (id, action, target, reset, requested_by, created_at, state)
       VALUES ($1, $2, $3, $4, $5, $6, 'pending')`,
      [pending.id, action, target, reset, requestedBy, createdAt],
    );
    return pending;
  }

  async claim(id: string, action: GuardedAction, target: string, confirmedBy: string): Promise<Claim> {
    const [won] = await this.store.query(
      "claim a confirmation",
      `UPDATE action_confirmations SET state = 'running', confirmed_by = $4
       WHERE id = $1 AND action = $2 AND target = $3 AND state = 'pending' AND created_at >= $5 RETURNING *`,
      [id, action, target, confirmedBy, this.now() - this.ttlMs],
    );
    if (won) return { kind: "run", pending: pendingFromRow(won) };
    const [row] = await this.store.query("read a confirmation", "SELECT * FROM action_confirmations WHERE id = $1", [
      id,
    ]);
    if (!row) return { kind: "unknown" };
    const pending = pendingFromRow(row);
    if (pending.action !== action || pending.target !== target) return { kind: "mismatch", pending };
    if (pending.state === "done" && pending.outcome) return { kind: "done", pending, outcome: pending.outcome };
    if (pending.state === "running") return { kind: "running", pending };
    // Still pending yet not claimable: it expired.
    await this.store.query("drop an expired confirmation", "DELETE FROM action_confirmations WHERE id = $1", [id]);
    return { kind: "expired" };
  }

  async complete(id: string, outcome: Reply): Promise<void> {
    await this.store.query(
      "record a confirmation's outcome",
      "UPDATE action_confirmations SET state = 'done', outcome = $2 WHERE id = $1",
      [id, JSON.stringify(outcome)],
    );
  }

  async release(id: string): Promise<void> {
    await this.store.query(
      "release a confirmation",
      "UPDATE action_confirmations SET state = 'pending' WHERE id = $1 AND state = 'running'",
      [id],
    );
  }
}
