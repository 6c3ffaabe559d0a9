import type { AnyCommand } from "../src/routing/command.js";
import { ackCommand } from "./ack.js";
import { auditCommand } from "./audit.js";
import { diagnoseCommand } from "./diagnose.js";
import { errorsCommand } from "./errors.js";
import { explainCommand } from "./explain.js";
import { helpCommand } from "./help.js";
import { incidentsCommand } from "./incidents.js";
import { logsCommand } from "./logs.js";
import { progressCommand } from "./progress.js";
import { reportCommand } from "./report.js";
import { restartCommand } from "./restart.js";
import { scanCommand } from "./scan.js";
import { snoozeCommand } from "./snooze.js";
import { statusCommand } from "./status.js";
import { watchCommand } from "./watch.js";

/** Every command the bot knows, in the order `help` lists them. */
export const allCommands: AnyCommand[] = [
  helpCommand,
  explainCommand,
  statusCommand,
  progressCommand,
  diagnoseCommand,
  errorsCommand,
  reportCommand,
  watchCommand,
  incidentsCommand,
  ackCommand,
  snoozeCommand,
  restartCommand,
  scanCommand,
  logsCommand,
  auditCommand,
];
