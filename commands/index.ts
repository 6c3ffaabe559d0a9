import type { AnyCommand } from "../src/command.js";
import { explainCommand } from "./explain.js";
import { helpCommand } from "./help.js";

/** Every command the bot knows, in the order `help` lists them. */
export const allCommands: AnyCommand[] = [helpCommand, explainCommand];
