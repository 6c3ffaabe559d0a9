import type { RequiredRole } from "../access/role.js";

/** What `help` and the access check know of a command: its words, not its handler. */
export interface CommandHelp {
  name: string;
  aliases?: readonly string[];
  /** One line for the `help` list. */
  summary: string;
  /** Syntax, e.g. `errors [node] [count]`. */
  usage: string;
  /** Longer help for `help <command>`. */
  help: string;
  examples?: readonly string[];
  /** Who may run it; `viewer` when not given. Checked by the router before anything runs. */
  access?: RequiredRole;
}
