import type { GuardedAction } from "../wire/agentApi.js";
import type { ConfirmationBook } from "./confirmationLedger.js";

/** The bot's side of guarded actions: which are enabled, and the confirmations in flight. */
export interface GuardedActions {
  enabled: ReadonlySet<GuardedAction>;
  ledger: ConfirmationBook;
}
