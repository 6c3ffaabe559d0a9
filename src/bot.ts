import { allCommands } from "../commands/index.js";
import type { BotConfig } from "./config/botConfig.js";
import { createFleetClient, type FleetClient } from "./fleetClient.js";
import type { Logger } from "./logger.js";
import { createRouter, type Router } from "./router.js";

export interface BotOptions {
  logger: Logger;
  now?: () => Date;
  /** The loaded config; its clusters become the fleet unless `fleet` is given. */
  config?: BotConfig;
  /** A ready fleet client (the demo cluster, tests). */
  fleet?: FleetClient;
}

/** The composition root: wires services and commands into one router that every adapter shares. */
export function createBot(options: BotOptions): { router: Router; fleet?: FleetClient } {
  const now = options.now ?? (() => new Date());
  const fleet =
    options.fleet ?? (options.config?.clusters.length ? createFleetClient(options.config, { now }) : undefined);
  const router = createRouter(allCommands, { now, ...(fleet ? { fleet } : {}) }, options.logger);
  return { router, ...(fleet ? { fleet } : {}) };
}
