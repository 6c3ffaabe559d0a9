import { allCommands } from "../../commands/index.js";
import { createAccessPolicy } from "../access/accessPolicy.js";
import { createGroupResolver } from "../access/groupMembership.js";
import { ConfirmationLedger } from "../actions/confirmationLedger.js";
import type { BotConfig } from "../config/botConfig.js";
import { createFleetClient, type FleetClient } from "../fleet/fleetClient.js";
import type { Logger } from "../foundation/logger.js";
import { signatureIndex } from "../knowledge/signatureIndex.js";
import { createRouter, type Router } from "../routing/router.js";
import type { Services } from "../routing/services.js";
import type { Store } from "../store/store.js";
import type { WatchControl } from "../watch/watcher.js";

export interface BotOptions {
  logger: Logger;
  now?: () => Date;
  /** The loaded config; its clusters become the fleet unless `fleet` is given. */
  config?: BotConfig;
  /** A ready fleet client (the demo cluster, tests). */
  fleet?: FleetClient;
  /** Builds the store and the (not yet started) watcher once the fleet exists; see ConsoleWatch. */
  watch?: (fleet: FleetClient, config: BotConfig) => { store: Store; watcher?: WatchControl } | undefined;
  /** Access policy, audit sink, guarded actions and the store (the runtime builds them from config). */
  extraServices?: Pick<Services, "access" | "audit" | "guardedActions" | "store">;
}

/** The composition root: wires services and commands into one router that every adapter shares. */
export function createBot(options: BotOptions): { router: Router; fleet?: FleetClient } {
  const now = options.now ?? (() => new Date());
  const fleet =
    options.fleet ?? (options.config?.clusters.length ? createFleetClient(options.config, { now }) : undefined);
  const watch = fleet && options.config ? options.watch?.(fleet, options.config) : undefined;
  // What the config says about access and guarded actions, unless the caller built its own.
  const fromConfig = options.config
    ? {
        access: createAccessPolicy(options.config.access),
        // The chat adapters attach their directories once they run; until then group principals match nobody.
        groups: createGroupResolver({ section: options.config.access, logger: options.logger }),
        guardedActions: {
          enabled: new Set(options.config.actions?.enabled ?? []),
          ledger: new ConfirmationLedger(),
        },
      }
    : {};
  // With a store, every command (guarded actions included) is audited there, console runs too.
  const audit = watch ? { audit: watch.store } : {};
  const router = createRouter(
    allCommands,
    {
      now,
      ...(fleet ? { fleet } : {}),
      ...(watch ?? {}),
      ...audit,
      ...fromConfig,
      ...(options.extraServices ?? {}),
    },
    options.logger,
  );
  // The knowledge base compiles on first use; a bot that keeps running compiles it a second after start, so
  // the first pasted error is answered as fast as the next. A one-shot piped console has exited by then.
  setTimeout(signatureIndex, 1000).unref();
  return { router, ...(fleet ? { fleet } : {}) };
}
