import { z } from "zod";
import { redactDeep } from "../foundation/redaction.js";

/**
 * The platform-neutral reply model. Commands build replies from these blocks;
 * each adapter (shell, Slack Block Kit, Teams Adaptive Cards) renders them.
 */

/** A status badge shown next to a value, a row or a whole reply. */
export const statusSchema = z.enum(["ok", "warn", "error", "info"]);
export type Status = z.infer<typeof statusSchema>;

/** Asks the user to confirm before a button's command runs. */
export const confirmationSchema = z.object({
  title: z.string(),
  text: z.string(),
  confirmLabel: z.string().default("Confirm"),
  denyLabel: z.string().default("Cancel"),
});
export type Confirmation = z.infer<typeof confirmationSchema>;

/** A button that runs `command` (a command line, e.g. `diagnose node-2`) for whoever clicks it. */
export const actionSchema = z.object({
  label: z.string().min(1),
  command: z.string().min(1),
  style: z.enum(["primary", "danger"]).optional(),
  confirm: confirmationSchema.optional(),
});
export type Action = z.infer<typeof actionSchema>;

export const fieldSchema = z.object({
  label: z.string(),
  value: z.string(),
  status: statusSchema.optional(),
});
export type Field = z.infer<typeof fieldSchema>;

/**
 * One column of a table's narrow view: a label and the source columns it shows,
 * joined with " · " when more than one (e.g. files and size in one "Scanned").
 */
export const narrowColumnSchema = z.object({
  label: z.string(),
  from: z.array(z.number().int().nonnegative()).min(1),
});
export type NarrowColumn = z.infer<typeof narrowColumnSchema>;

export const tableRowSchema = z.object({
  cells: z.array(z.string()),
  status: statusSchema.optional(),
});
export type TableRow = z.infer<typeof tableRowSchema>;

export const blockSchema = z.discriminatedUnion("kind", [
  z.object({ kind: z.literal("heading"), text: z.string() }),
  z.object({ kind: z.literal("text"), text: z.string() }),
  z.object({ kind: z.literal("fields"), fields: z.array(fieldSchema) }),
  z.object({
    kind: z.literal("table"),
    columns: z.array(z.string()),
    rows: z.array(tableRowSchema),
    /** How many rows existed before the table was shortened, when it was. */
    totalRows: z.number().int().nonnegative().optional(),
    /**
     * What a narrow chat pane shows of a wide table (at most four columns); the
     * console keeps every column. Without it, chat renderers lay wide tables out row by row.
     */
    narrow: z.array(narrowColumnSchema).optional(),
  }),
  z.object({ kind: z.literal("status"), status: statusSchema, text: z.string() }),
  z.object({ kind: z.literal("code"), text: z.string(), language: z.string().optional() }),
  z.object({ kind: z.literal("list"), items: z.array(z.string()), ordered: z.boolean().default(false) }),
  z.object({ kind: z.literal("link"), text: z.string(), url: z.string() }),
  z.object({ kind: z.literal("actions"), actions: z.array(actionSchema) }),
  z.object({ kind: z.literal("divider") }),
  /** A small PNG (a chart): uploaded where the platform allows, inline where small, else its alt text. */
  z.object({ kind: z.literal("image"), altText: z.string(), pngBase64: z.string(), title: z.string() }),
]);
export type Block = z.infer<typeof blockSchema>;

export const replySchema = z.object({
  /** One-line plain-text summary: notification text, screen readers, fallbacks. */
  text: z.string(),
  blocks: z.array(blockSchema),
  /**
   * `channel`: everyone sees it. `private`: only the person who asked, ephemeral where the platform allows,
   * else shown in the conversation (help, placeholders, errors). `personal`: only the person who asked; where
   * the platform cannot hide a reply inside the conversation, it goes to their direct chat with the bot (audit).
   */
  visibility: z.enum(["channel", "private", "personal"]).default("channel"),
  /** Overall status of the reply, if it has one (drives colour and icons). */
  status: statusSchema.optional(),
  /**
   * Set (to the error's code) when the command could not do what was asked; the audit log records it as failed.
   * A red status alone is no failure: `diagnose` or `status` reporting a node in error did its job.
   */
  failure: z.string().optional(),
});
export type Reply = z.infer<typeof replySchema>;

type ReplyInit = { text: string; visibility?: Reply["visibility"]; status?: Status };

/** Fluent builder so commands read top to bottom like the reply they produce. */
export class ReplyBuilder {
  private readonly blocks: Block[] = [];
  constructor(private readonly init: ReplyInit) {}

  heading(text: string): this {
    this.blocks.push({ kind: "heading", text });
    return this;
  }
  text(text: string): this {
    this.blocks.push({ kind: "text", text });
    return this;
  }
  fields(fields: Field[]): this {
    if (fields.length > 0) this.blocks.push({ kind: "fields", fields });
    return this;
  }
  table(columns: string[], rows: TableRow[], totalRows?: number, narrow?: NarrowColumn[]): this {
    this.blocks.push({
      kind: "table",
      columns,
      rows,
      ...(totalRows === undefined ? {} : { totalRows }),
      ...(narrow ? { narrow } : {}),
    });
    return this;
  }
  status(status: Status, text: string): this {
    this.blocks.push({ kind: "status", status, text });
    return this;
  }
  code(text: string, language?: string): this {
    this.blocks.push({ kind: "code", text, ...(language ? { language } : {}) });
    return this;
  }
  list(items: string[], ordered = false): this {
    if (items.length > 0) this.blocks.push({ kind: "list", items, ordered });
    return this;
  }
  link(text: string, url: string): this {
    this.blocks.push({ kind: "link", text, url });
    return this;
  }
  actions(actions: Action[]): this {
    if (actions.length > 0) this.blocks.push({ kind: "actions", actions });
    return this;
  }
  image(title: string, altText: string, png: Uint8Array): this {
    this.blocks.push({ kind: "image", title, altText, pngBase64: Buffer.from(png).toString("base64") });
    return this;
  }
  divider(): this {
    this.blocks.push({ kind: "divider" });
    return this;
  }
  /** Appends every block of another reply (e.g. one explanation per pasted error). */
  append(other: Reply): this {
    this.blocks.push(...other.blocks);
    return this;
  }
  /**
   * The finished reply, secrets redacted from every string: replies echo what users typed (node names,
   * pasted errors) and what agents sent (exception texts), and every reply is built here.
   */
  build(): Reply {
    return redactDeep({
      text: this.init.text,
      blocks: [...this.blocks],
      visibility: this.init.visibility ?? "channel",
      ...(this.init.status ? { status: this.init.status } : {}),
    });
  }
}

/** Starts a reply with its one-line summary. */
export function reply(text: string, options: Omit<ReplyInit, "text"> = {}): ReplyBuilder {
  return new ReplyBuilder({ text, ...options });
}

/** True when a reply is for everyone in the conversation; `private` and `personal` replies are for the asker only. */
export function seenByEveryone(reply: Pick<Reply, "visibility">): boolean {
  return reply.visibility === "channel";
}

/** Worst status of a list: error beats warn beats info beats ok. */
export function worstStatus(statuses: Iterable<Status | undefined>): Status {
  const rank: Record<Status, number> = { ok: 0, info: 1, warn: 2, error: 3 };
  let worst: Status = "ok";
  for (const s of statuses) if (s && rank[s] > rank[worst]) worst = s;
  return worst;
}

/** Buttons shown side by side; the rest go to an overflow menu, so none is cut to "Snooz…". */
export const maxPrimaryActions = 3;

/** The most columns a table shows in a narrow chat pane (Teams at 540 px, Slack on a phone). */
export const maxNarrowColumns = 4;

/**
 * The blocks every renderer shows: the reply's own, led by its one-line summary
 * as a status line when no heading or status block says what happened
 * (confirmations, placeholders, "… was not snoozed"). Renderers use this, not
 * `blocks`, so a new command's headline is never only in a fallback field.
 */
export function presentedBlocks(reply: Reply): Block[] {
  const saysItself = reply.blocks.some((b) => b.kind === "heading" || b.kind === "status");
  if (saysItself || !reply.text.trim()) return reply.blocks;
  return [{ kind: "status", status: reply.status ?? "info", text: reply.text }, ...reply.blocks];
}

/** A table as a narrow pane shows it: the narrow view's columns, else the table itself. */
export function narrowTable(table: Extract<Block, { kind: "table" }>): { columns: string[]; rows: TableRow[] } {
  const narrow = table.narrow;
  if (!narrow) return { columns: table.columns, rows: table.rows };
  return {
    columns: narrow.map((c) => c.label),
    rows: table.rows.map((row) => ({
      ...row,
      cells: narrow.map(
        (c) =>
          c.from
            .map((i) => row.cells[i] ?? "")
            .filter((cell) => cell && cell !== "—")
            .join(" · ") || "—",
      ),
    })),
  };
}
