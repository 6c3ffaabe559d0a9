/**
 * The shared services a command can use. Pieces that are not configured
 * (no fleet in explain-only mode, no store in a one-shot CLI call) are absent,
 * and commands that need them say so instead of failing.
 */
export interface Services {
  /** The command registry, for `help`. Filled in by the router. */
  commands: readonly import("./commandHelp.js").CommandHelp[];
  /** Wall clock; tests pass a fake one. */
  now: () => Date;
  /** Who may run what. Absent: the default policy (see createAccessPolicy). */
  access?: import("../access/accessPolicy.js").AccessPolicy;
  /** Fills in the caller's groups when `access` names groups of their platform. Absent: callers are in no group. */
  groups?: import("../access/groupMembership.js").GroupResolver;
  /** Where every command and action is recorded. */
  audit?: import("../access/audit.js").AuditSink;
  /** Signed calls to the scanner nodes' agents. Absent: no clusters configured. */
  fleet?: import("../fleet/fleetClient.js").FleetClient;
  /** Subscriptions, incidents, snoozes, conversations. Absent: `watch`, `snooze`, `incidents`, `ack` say so. */
  store?: import("../store/store.js").Store;
  /** The stall watcher: per-node assessments for `status` and `watch status`. */
  watcher?: import("../watch/watcher.js").WatchControl;
  /** Where work after an acknowledgement waits for a quiet turn. Filled in by the router when absent. */
  lane: import("./yieldingLane.js").YieldingLane;
  /** Guarded actions the bot's config enables, and the confirmations waiting for a click. */
  guardedActions?: import("../actions/guardedActions.js").GuardedActions;
}
