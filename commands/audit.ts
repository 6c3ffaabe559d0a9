import { z } from "zod";
import { BotError } from "../src/foundation/botError.js";
import { formatDuration } from "../src/foundation/duration.js";
import { reply, type Status } from "../src/reply/reply.js";
import { defineCommand } from "../src/routing/command.js";

const outcomeBadge: Record<string, Status> = { ok: "ok", failed: "error", denied: "warn", rejected: "info" };

/** `audit [n]`: the newest audit entries, for admins. */
export const auditCommand = defineCommand({
  name: "audit",
  summary: "Show who ran which command, where, and how it ended (admins).",
  usage: "audit [count]",
  help:
    "Lists the newest entries of the audit log (default 20, at most 200): time, who, where, the command as typed " +
    "(secrets redacted), the outcome and how long it took. Every command, denial and guarded action is recorded.",
  examples: ["audit", "audit 50"],
  access: "admin",
  args: z.object({ count: z.coerce.number().int("count must be a whole number").min(1).max(200).default(20) }),
  input: (line) => ({ count: line.positionals[0] }),
  run: async ({ count }, { services }) => {
    if (!services.store) throw new BotError("not_found", "The audit log needs the store, and none is configured.");
    const entries = await services.store.listAudit(count);
    // Who ran what, where: never for a whole channel, even on platforms without ephemeral messages.
    if (entries.length === 0)
      return reply("The audit log is empty.", { visibility: "personal" }).text("The audit log is empty.").build();
    return reply(`Last ${entries.length} audit entries`, { visibility: "personal" })
      .heading(`Audit log: newest ${entries.length}`)
      .table(
        ["When (UTC)", "Who", "Where", "Command", "Outcome", "Took"],
        entries.map((e) => ({
          cells: [
            e.at.replace("T", " ").slice(0, 19),
            e.userName ? `${e.userName} (${e.userId})` : e.userId,
            `${e.platform}${e.conversationId ? ` ${e.conversationId}` : ""}`,
            e.line.length > 80 ? `${e.line.slice(0, 80)}…` : e.line,
            e.detail ? `${e.outcome}: ${e.detail.slice(0, 80)}` : e.outcome,
            formatDuration(e.durationMs),
          ],
          status: outcomeBadge[e.outcome] ?? "info",
        })),
      )
      .build();
  },
});
