import { randomUUID } from "node:crypto";
import type { Reply } from "../reply/reply.js";
import type { GuardedAction } from "../wire/agentApi.js";

/** A guarded action someone asked for and that waits for a confirming click. */
export interface PendingAction {
  /** Also the idempotency key sent to the agent, so agent-side retries dedupe too. */
  id: string;
  action: GuardedAction;
  /** Node name, or cluster name for scan start/stop. */
  target: string;
  reset: boolean;
  requestedBy: string;
  createdAt: number;
  state: "pending" | "running" | "done";
  confirmedBy?: string;
  outcome?: Reply;
}

/** What a confirming click may do. */
export type Claim =
  | { kind: "run"; pending: PendingAction }
  | { kind: "running"; pending: PendingAction }
  | { kind: "done"; pending: PendingAction; outcome: Reply }
  | { kind: "expired" }
  | { kind: "mismatch"; pending: PendingAction }
  | { kind: "unknown" };

/** A fresh request with a new one-time confirmation id. */
export function newPendingAction(
  action: GuardedAction,
  target: string,
  requestedBy: string,
  reset: boolean,
  createdAt: number,
): PendingAction {
  return { id: randomUUID(), action, target, reset, requestedBy, createdAt, state: "pending" };
}

/**
 * What the guarded-action flow needs from a ledger: the in-memory one below
 * (one bot process), or one in a database that replicas share, so a confirm
 * click may land on any of them (src/store/postgresConfirmations.ts).
 */
export interface ConfirmationBook {
  readonly ttlMs: number;
  request(
    action: GuardedAction,
    target: string,
    requestedBy: string,
    reset?: boolean,
  ): PendingAction | Promise<PendingAction>;
  claim(id: string, action: GuardedAction, target: string, confirmedBy: string): Claim | Promise<Claim>;
  complete(id: string, outcome: Reply): void | Promise<void>;
  release(id: string): void | Promise<void>;
}

/**
 * Remembers guarded actions between the request and its confirmation so that a
 * double-click, a retried button delivery or a second admin's click runs the
 * action exactly once and everyone else sees the first outcome.
 */
export class ConfirmationLedger implements ConfirmationBook {
  private readonly entries = new Map<string, PendingAction>();

  constructor(
    private readonly now: () => number = Date.now,
    /** How long a confirmation button stays valid. */
    readonly ttlMs = 10 * 60_000,
    private readonly maxEntries = 10_000,
  ) {}

  /** Records a new request and returns its confirmation id. */
  request(action: GuardedAction, target: string, requestedBy: string, reset = false): PendingAction {
    this.prune();
    const pending = newPendingAction(action, target, requestedBy, reset, this.now());
    this.entries.set(pending.id, pending);
    return pending;
  }

  /** Claims the right to run a confirmed action; only the first claim gets `run`. */
  claim(id: string, action: GuardedAction, target: string, confirmedBy: string): Claim {
    const pending = this.entries.get(id);
    if (!pending) return { kind: "unknown" };
    if (pending.action !== action || pending.target !== target) return { kind: "mismatch", pending };
    if (pending.state === "done" && pending.outcome) return { kind: "done", pending, outcome: pending.outcome };
    if (pending.state === "running") return { kind: "running", pending };
    if (this.now() - pending.createdAt > this.ttlMs) {
      this.entries.delete(id);
      return { kind: "expired" };
    }
    pending.state = "running";
    pending.confirmedBy = confirmedBy;
    return { kind: "run", pending };
  }

  /** Stores the outcome that later clicks will be shown. */
  complete(id: string, outcome: Reply): void {
    const pending = this.entries.get(id);
    if (!pending) return;
    pending.state = "done";
    pending.outcome = outcome;
  }

  /** Lets a failed run be confirmed again (the agent dedupes by id if it did run). */
  release(id: string): void {
    const pending = this.entries.get(id);
    if (pending && pending.state === "running") pending.state = "pending";
  }

  private prune(): void {
    const cutoff = this.now() - 2 * this.ttlMs;
    for (const [id, entry] of this.entries) if (entry.createdAt < cutoff) this.entries.delete(id);
    while (this.entries.size >= this.maxEntries) {
      const oldest = this.entries.keys().next().value;
      if (oldest === undefined) break;
      this.entries.delete(oldest);
    }
  }
}
