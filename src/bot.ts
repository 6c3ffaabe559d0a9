import { allCommands } from "../commands/index.js";
import type { Logger } from "./logger.js";
import { createRouter, type Router } from "./router.js";

export interface BotOptions {
  logger: Logger;
  now?: () => Date;
}

/** The composition root: wires services and commands into one router that every adapter shares. */
export function createBot(options: BotOptions): { router: Router } {
  const router = createRouter(allCommands, { now: options.now ?? (() => new Date()) }, options.logger);
  return { router };
}
