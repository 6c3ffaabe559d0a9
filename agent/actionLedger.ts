import type { GuardedAction } from "../src/wire/agentApi.js";

/** What the ledger says about a submitted action. */
export type LedgerOutcome<T> =
  | { kind: "first"; result: Promise<T> }
  | { kind: "replay"; result: Promise<T> }
  | { kind: "conflict"; previousAction: GuardedAction };

/**
 * Remembers guarded actions by requestId so a retried or doubled submit runs the
 * action once: the second caller shares the first caller's promise, even while
 * it is still running. Bounded: the oldest settled entries are forgotten first.
 */
export class ActionLedger<T> {
  private readonly entries = new Map<string, { action: GuardedAction; result: Promise<T>; settled: boolean }>();

  constructor(private readonly maxEntries = 1000) {}

  /** Runs `task` unless this requestId was seen before; `forget` drops entries whose outcome should not be replayed. */
  run(
    request: { requestId: string; action: GuardedAction },
    task: () => Promise<T>,
    forget: (value: T) => boolean = () => false,
  ): LedgerOutcome<T> {
    const known = this.entries.get(request.requestId);
    if (known) {
      if (known.action !== request.action) return { kind: "conflict", previousAction: known.action };
      return { kind: "replay", result: known.result };
    }
    this.evict();
    const entry = { action: request.action, result: task(), settled: false };
    this.entries.set(request.requestId, entry);
    entry.result.then(
      (value) => {
        entry.settled = true;
        if (forget(value)) this.entries.delete(request.requestId);
      },
      () => {
        // A task that threw told us nothing about whether the action ran; let a retry try again.
        this.entries.delete(request.requestId);
      },
    );
    return { kind: "first", result: entry.result };
  }

  private evict(): void {
    if (this.entries.size < this.maxEntries) return;
    for (const [id, entry] of this.entries) {
      if (this.entries.size < this.maxEntries) break;
      if (entry.settled) this.entries.delete(id);
    }
  }
}
