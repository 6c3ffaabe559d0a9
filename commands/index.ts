import type { AnyCommand } from "../src/command.js";
import { diagnoseCommand } from "./diagnose.js";
import { errorsCommand } from "./errors.js";
import { explainCommand } from "./explain.js";
import { helpCommand } from "./help.js";
import { statusCommand } from "./status.js";

/** Every command the bot knows, in the order `help` lists them. */
export const allCommands: AnyCommand[] = [helpCommand, explainCommand, statusCommand, diagnoseCommand, errorsCommand];
