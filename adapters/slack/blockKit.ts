import type { types } from "@slack/bolt";
import {
  type Action,
  type Block,
  type Field,
  maxNarrowColumns,
  maxPrimaryActions,
  narrowTable,
  presentedBlocks,
  type Reply,
  type Status,
  type TableRow,
} from "../../src/reply/reply.js";

type KnownBlock = types.KnownBlock;
type Button = types.Button;
type Confirm = types.ConfirmationDialog;

/**
 * Slack's Block Kit limits (https://docs.slack.dev/reference/block-kit/blocks).
 * Button text: Slack documents 75 characters, stricter than older docs' 150.
 */
export const slackLimits = {
  blocksPerMessage: 50,
  blocksPerHomeView: 100,
  sectionText: 3000,
  fieldsPerSection: 10,
  fieldText: 2000,
  headerText: 150,
  buttonText: 75,
  buttonValue: 2000,
  actionId: 255,
  elementsPerActions: 25,
  contextElements: 10,
  contextText: 2000,
  confirmTitle: 100,
  confirmText: 300,
  confirmButton: 30,
  /** Slack truncates a message's text beyond this; we keep all block text under it too. */
  totalText: 40_000,
  /** Our own cap for the notification text: it only has to say what the message is about. */
  fallbackText: 3000,
} as const;

/** The message Slack receives: blocks plus the plain notification text. */
export interface SlackMessage {
  text: string;
  blocks: KnownBlock[];
}

export interface RenderOptions {
  /** 50 for messages (default), 100 for App Home views. */
  maxBlocks?: number;
  /** Turns a button's command line into its (signed) value; see buttonValue.ts. */
  buttonValue: (command: string) => string;
  /**
   * `block` (default): a reply's first narrow table (3–4 columns, e.g. the status nodes) as Block Kit's
   * `table` block. `sections`: every table as section fields or an aligned code block, for clients
   * that do not show table blocks.
   */
  tables?: "block" | "sections";
}

/** How much of one table or code block may use, so one long part cannot crowd out the rest. */
const maxTableChars = 12_000;
const maxCodeChars = 9_000;
/** Tables up to this many rows render as one card per row, which reads well on phones. */
const cardRows = 5;
const maxCellWidth = 40;
/** Room kept free for the closing "… more" note. */
const noteReserve = 400;

/** Prefix of every button's action_id; the action listener matches on it. */
export const buttonActionPrefix = "scanner_run_";

const emoji: Record<Status, string> = {
  ok: ":white_check_mark:",
  warn: ":warning:",
  error: ":x:",
  info: ":information_source:",
};
/** Emoji shortcodes don't render inside code blocks, so tables use plain symbols. */
const symbol: Record<Status, string> = { ok: "✓", warn: "!", error: "✗", info: "i" };

/** Slack's cap on an overflow menu option's value; longer (signed) commands stay buttons. */
const overflowValueLength = 150;
const overflowOptions = 5;

/**
 * Prose with our markup for mrkdwn: `code` pairs stay inline code; a lone backtick
 * (pasted text) would turn the rest of the line into code, so it becomes a look-alike.
 */
export function balanceBackticks(text: string): string {
  const count = (text.match(/`/g) ?? []).length;
  if (count % 2 === 0) return text;
  const last = text.lastIndexOf("`");
  return `${text.slice(0, last)}ˋ${text.slice(last + 1)}`;
}

/** Escapes the three characters Slack's mrkdwn treats as control characters. */
export function escapeMrkdwn(text: string): string {
  // Most cell values have nothing to escape: skip the three copies then.
  if (!/[&<>]/.test(text)) return text;
  return text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
}

/** Shortens plain text to `max` characters, marking the cut with an ellipsis. */
export function truncate(text: string, max: number): string {
  if (text.length <= max) return text;
  return `${safeCut(text, max - 1).trimEnd()}…`;
}

/** A cut position at or below `at` that splits neither a surrogate pair nor an `&amp;` entity. */
function safeCutIndex(text: string, at: number): number {
  let index = Math.max(0, Math.min(at, text.length));
  const entityStart = text.lastIndexOf("&", index - 1);
  if (entityStart >= 0 && index - entityStart < 5) {
    const end = text.indexOf(";", entityStart);
    if (end >= index) index = entityStart;
  }
  const code = text.charCodeAt(index - 1);
  if (index > 0 && code >= 0xd800 && code <= 0xdbff) index -= 1;
  return index;
}

function safeCut(text: string, at: number): string {
  return text.slice(0, safeCutIndex(text, at));
}

/** Splits text into pieces of at most `max` characters, preferring line breaks, then spaces. */
export function splitText(text: string, max: number): string[] {
  const pieces: string[] = [];
  let rest = text;
  while (rest.length > max) {
    const window = rest.slice(0, max + 1);
    let cut = window.lastIndexOf("\n");
    if (cut < max / 2) cut = window.lastIndexOf(" ");
    if (cut < max / 2) cut = safeCutIndex(rest, max);
    if (cut <= 0) cut = max;
    pieces.push(rest.slice(0, cut));
    rest = rest.slice(cut).replace(/^[\n ]/, "");
  }
  if (rest.length > 0 || pieces.length === 0) pieces.push(rest);
  return pieces;
}

/** Groups lines into chunks of at most `max` characters (lines longer than `max` are split). */
function chunkLines(lines: string[], max: number): string[] {
  const chunks: string[] = [];
  let current = "";
  for (const line of lines) {
    for (const part of splitText(line, max)) {
      if (current && current.length + 1 + part.length > max) {
        chunks.push(current);
        current = "";
      }
      current = current ? `${current}\n${part}` : part;
    }
  }
  if (current) chunks.push(current);
  return chunks;
}

const section = (text: string): KnownBlock => ({ type: "section", text: { type: "mrkdwn", text } });
const context = (text: string): KnownBlock => ({
  type: "context",
  elements: [{ type: "mrkdwn", text: truncate(text, slackLimits.contextText) }],
});
const plural = (n: number, one: string, many = `${one}s`) => `${n} ${n === 1 ? one : many}`;

function sections(text: string): KnownBlock[] {
  return splitText(text, slackLimits.sectionText).map(section);
}

function fieldText(field: Field): string {
  const badge = field.status && field.status !== "ok" ? ` ${emoji[field.status]}` : "";
  const label = `*${escapeMrkdwn(truncate(field.label, 200))}*${badge}\n`;
  return label + balanceBackticks(truncate(escapeMrkdwn(field.value), slackLimits.fieldText - label.length));
}

function fieldSections(fields: Field[]): KnownBlock[] {
  const blocks: KnownBlock[] = [];
  for (let i = 0; i < fields.length; i += slackLimits.fieldsPerSection) {
    const group = fields.slice(i, i + slackLimits.fieldsPerSection);
    blocks.push({ type: "section", fields: group.map((f) => ({ type: "mrkdwn", text: fieldText(f) })) });
  }
  return blocks;
}

function moreRows(hidden: number): KnownBlock[] {
  return hidden > 0 ? [context(`… ${plural(hidden, "more row")} not shown`)] : [];
}

/** Few rows: one card per row, each cell a labelled field. */
function tableAsCards(columns: string[], rows: TableRow[]): KnownBlock[] {
  const fields = (row: TableRow) =>
    columns.map((label, i) => ({
      label,
      value: row.cells[i] ?? "",
      ...(i === 0 && row.status ? { status: row.status } : {}),
    }));
  return rows.flatMap((row) => fieldSections(fields(row)));
}

/** Two columns (name + description): one readable line per row, wraps well on any screen. */
function tableAsLines(rows: TableRow[]): { blocks: KnownBlock[]; shown: number } {
  const lines: string[] = [];
  let used = 0;
  for (const row of rows) {
    const [first = "", ...others] = row.cells;
    const badge = row.status ? `${emoji[row.status]} ` : "";
    const line = `${badge}*${escapeMrkdwn(truncate(first, 200))}*${others.length ? ` — ${escapeMrkdwn(truncate(others.join(" · "), 1500))}` : ""}`;
    if (used + line.length + 1 > maxTableChars) break;
    lines.push(line);
    used += line.length + 1;
  }
  return { blocks: chunkLines(lines, slackLimits.sectionText).map(section), shown: lines.length };
}

/** Many rows and columns: an aligned code block, header repeated in every chunk. */
function tableAsCode(columns: string[], rows: TableRow[]): { blocks: KnownBlock[]; shown: number } {
  const withStatus = rows.some((r) => r.status);
  const cell = (text: string) => truncate(text.replace(/\s+/g, " "), maxCellWidth);
  const header = (withStatus ? ["", ...columns] : columns).map(cell);
  const body = rows.map((r) => {
    const cells = r.cells.map(cell);
    return withStatus ? [r.status ? symbol[r.status] : "", ...cells] : cells;
  });
  const widths = header.map((h, i) => Math.max(h.length, ...body.map((cells) => (cells[i] ?? "").length)));
  const line = (cells: string[]) =>
    escapeMrkdwn(
      header
        .map((_, i) => (cells[i] ?? "").padEnd(widths[i] ?? 0))
        .join("  ")
        .trimEnd()
        .replace(/```/g, "`\u200b``"),
    );
  const head = `${line(header)}\n${line(widths.map((w) => "-".repeat(w)))}`;
  const room = slackLimits.sectionText - "```\n\n```".length - head.length - 1;
  const blocks: KnownBlock[] = [];
  let chunk: string[] = [];
  let chunkLength = 0;
  let used = 0;
  let shown = 0;
  const flush = () => {
    if (chunk.length) blocks.push(section(`\`\`\`\n${head}\n${chunk.join("\n")}\n\`\`\``));
    chunk = [];
    chunkLength = 0;
  };
  for (const cells of body) {
    const text = truncate(line(cells), room);
    if (used + text.length + 1 > maxTableChars) break;
    if (chunkLength + text.length + 1 > room) flush();
    chunk.push(text);
    chunkLength += text.length + 1;
    used += text.length + 1;
    shown++;
  }
  flush();
  return { blocks, shown };
}

const rawSymbol: Record<Status, string> = { ok: "✅", warn: "⚠️", error: "❌", info: "ℹ️" };

/** Block Kit's `table` block (https://docs.slack.dev/reference/block-kit/blocks/table-block): one per message. */
function tableBlock(table: Extract<Block, { kind: "table" }>): KnownBlock[] | undefined {
  const view = narrowTable(table);
  if (view.columns.length < 3 || view.columns.length > maxNarrowColumns || view.rows.length === 0) return undefined;
  const shown = view.rows.slice(0, 99);
  const raw = (text: string) => ({ type: "raw_text" as const, text: truncate(text.trim() || "—", 500) });
  const rows = [
    view.columns.map(raw),
    ...shown.map((row) =>
      view.columns.map((_, i) => {
        const badge = i === 0 && row.status && row.status !== "ok" ? `${rawSymbol[row.status]} ` : "";
        return raw(`${badge}${row.cells[i] ?? ""}`);
      }),
    ),
  ];
  const total = Math.max(table.totalRows ?? 0, table.rows.length);
  return [
    { type: "table", rows, column_settings: view.columns.map(() => ({ is_wrapped: true })) },
    ...moreRows(total - shown.length),
  ];
}

function renderTable(named: string[], rows: TableRow[], totalRows: number | undefined): KnownBlock[] {
  // Without column names the cells still show, numbered.
  const columns = named.length > 0 ? named : (rows[0]?.cells.map((_, i) => `${i + 1}`) ?? []);
  const total = Math.max(totalRows ?? rows.length, rows.length);
  if (rows.length === 0) return [context(total > 0 ? `… ${plural(total, "row")} not shown` : "(no rows)")];
  if (columns.length > 2 && rows.length <= cardRows && columns.length <= slackLimits.fieldsPerSection) {
    return [...tableAsCards(columns, rows), ...moreRows(total - rows.length)];
  }
  const { blocks, shown } = columns.length <= 2 ? tableAsLines(rows) : tableAsCode(columns, rows);
  return [...blocks, ...moreRows(total - shown)];
}

function renderCode(text: string): KnownBlock[] {
  const lines = escapeMrkdwn(text.replace(/```/g, "`\u200b``")).split("\n");
  const room = slackLimits.sectionText - "```\n\n```".length;
  const kept: string[] = [];
  let used = 0;
  for (const line of lines) {
    const cost = Math.min(line.length, maxCodeChars) + 1;
    if (used + cost > maxCodeChars) break;
    kept.push(line);
    used += cost;
  }
  const blocks = chunkLines(kept, room).map((chunk) => section(`\`\`\`\n${chunk}\n\`\`\``));
  const hidden = lines.length - kept.length;
  return hidden > 0 ? [...blocks, context(`… ${plural(hidden, "more line")} not shown`)] : blocks;
}

function renderLink(text: string, url: string): KnownBlock[] {
  const label = escapeMrkdwn(truncate(text.replace(/[|\n]/g, " "), 500));
  if (/^(https?:\/\/|mailto:)[^\s<>|]+$/i.test(url) && url.length <= 2000) {
    return [section(`<${url.replace(/&/g, "&amp;")}|${label}>`)];
  }
  return sections(`${label}: ${escapeMrkdwn(url)}`);
}

function confirmFor(action: Action): Confirm | undefined {
  const plain = (text: string, max: number) => ({ type: "plain_text" as const, text: truncate(text, max) });
  if (action.confirm) {
    return {
      title: plain(action.confirm.title, slackLimits.confirmTitle),
      text: plain(action.confirm.text, slackLimits.confirmText),
      confirm: plain(action.confirm.confirmLabel, slackLimits.confirmButton),
      deny: plain(action.confirm.denyLabel, slackLimits.confirmButton),
      ...(action.style === "danger" ? { style: "danger" as const } : {}),
    };
  }
  if (action.style !== "danger") return undefined;
  return {
    title: plain(`${action.label}?`, slackLimits.confirmTitle),
    text: plain(`This runs \`${action.command}\` as you.`, slackLimits.confirmText),
    confirm: plain(action.label, slackLimits.confirmButton),
    deny: plain("Cancel", slackLimits.confirmButton),
    style: "danger",
  };
}

/** Renders one reply's buttons; `next` numbers action_ids, which must be unique per message. */
function renderActions(actions: Action[], options: RenderOptions, next: () => number): KnownBlock[] {
  const elements: (Button | types.Overflow)[] = [];
  const menu: types.PlainTextOption[] = [];
  const unusable: string[] = [];
  for (const [index, action] of actions.entries()) {
    const value = options.buttonValue(action.command);
    if (value.length > slackLimits.buttonValue) {
      unusable.push(`${escapeMrkdwn(action.label)}: \`${escapeMrkdwn(truncate(action.command, 200))}\``);
      continue;
    }
    const confirm = confirmFor(action);
    // Beyond the first three, plain actions go to one "…" menu; ones that ask first stay buttons.
    if (
      index >= maxPrimaryActions &&
      !confirm &&
      value.length <= overflowValueLength &&
      menu.length < overflowOptions
    ) {
      menu.push({ text: { type: "plain_text", text: truncate(action.label, slackLimits.buttonText) }, value });
      continue;
    }
    elements.push({
      type: "button",
      action_id: `${buttonActionPrefix}${next()}`,
      text: { type: "plain_text", text: truncate(action.label, slackLimits.buttonText) },
      value,
      ...(action.style ? { style: action.style } : {}),
      ...(confirm ? { confirm } : {}),
    });
  }
  if (menu.length > 0) elements.push({ type: "overflow", action_id: `${buttonActionPrefix}${next()}`, options: menu });
  const blocks: KnownBlock[] = [];
  for (let i = 0; i < elements.length; i += slackLimits.elementsPerActions) {
    blocks.push({ type: "actions", elements: elements.slice(i, i + slackLimits.elementsPerActions) });
  }
  // A command too long to carry in a button is still shown, so nothing disappears.
  if (unusable.length) blocks.push(...sections(`Run it yourself: ${unusable.join(", ")}`));
  return blocks;
}

function renderBlock(block: Block, options: RenderOptions, next: () => number): KnownBlock[] {
  switch (block.kind) {
    case "heading": {
      if (!block.text.trim()) return [];
      const header: KnownBlock = {
        type: "header",
        text: { type: "plain_text", text: truncate(block.text.replace(/\s+/g, " "), slackLimits.headerText) },
      };
      // A heading too long for a header keeps its full wording in the section below it.
      return block.text.length > slackLimits.headerText ? [header, ...sections(escapeMrkdwn(block.text))] : [header];
    }
    case "text":
      return block.text.trim() ? sections(balanceBackticks(escapeMrkdwn(block.text))) : [];
    case "fields":
      return fieldSections(block.fields);
    case "table":
      return renderTable(block.columns, block.rows, block.totalRows);
    case "status":
      return sections(`${emoji[block.status]} ${balanceBackticks(escapeMrkdwn(block.text))}`);
    case "code":
      return renderCode(block.text);
    case "list": {
      const lines = block.items.map(
        (item, i) => `${block.ordered ? `${i + 1}.` : "•"} ${balanceBackticks(escapeMrkdwn(item))}`,
      );
      return chunkLines(lines, slackLimits.sectionText).map(section);
    }
    case "link":
      return renderLink(block.text, block.url);
    case "actions":
      return renderActions(block.actions, options, next);
    case "divider":
      return [{ type: "divider" }];
    case "image":
      // An image block needs a public URL; the PNG is uploaded next to the message (chartUpload.ts).
      return [{ type: "context", elements: [{ type: "mrkdwn", text: `:bar_chart: ${escapeMrkdwn(block.altText)}` }] }];
  }
}

/** Counts the characters a block shows (every `text` value inside it). */
export function blockTextLength(value: unknown): number {
  if (value === null || typeof value !== "object") return 0;
  let sum = 0;
  if (Array.isArray(value)) {
    for (const item of value) sum += blockTextLength(item);
    return sum;
  }
  // for…in, not Object.entries: this runs over every block of every answer and should allocate nothing.
  const record = value as Record<string, unknown>;
  for (const key in record) {
    const inner = record[key];
    if (key === "text" && typeof inner === "string") sum += inner.length;
    else sum += blockTextLength(inner);
  }
  return sum;
}

function omittedNote(parts: number, headings: string[]): KnownBlock {
  const named = headings.length
    ? `, including ${headings
        .slice(0, 5)
        .map((h) => `“${escapeMrkdwn(truncate(h, 60))}”`)
        .join(", ")}${headings.length > 5 ? ` and ${headings.length - 5} more` : ""}`
    : "";
  return context(`… ${plural(parts, "more part")} of this answer not shown (too long for one Slack message)${named}.`);
}

/** The message's `text`: what notifications show, and all a one-line reply needs. */
export function fallbackText(reply: Reply): string {
  return truncate(escapeMrkdwn(reply.text.trim() || "scanner-bot"), slackLimits.fallbackText);
}

/**
 * Renders a reply as Block Kit within every Slack limit: long parts are split,
 * big tables and code are shortened with a "… N more" note, and whatever does
 * not fit the message is summarised in a closing note. Never throws for size.
 */
export function renderBlockKit(reply: Reply, options: RenderOptions): SlackMessage {
  const maxBlocks = options.maxBlocks ?? slackLimits.blocksPerMessage;
  const text = fallbackText(reply);
  let actionCount = 0;
  const next = () => actionCount++;
  let tableBlockUsed = options.tables === "sections";
  const groups: { source: Block; blocks: KnownBlock[] }[] = presentedBlocks(reply).map((source) => {
    const asTable = !tableBlockUsed && source.kind === "table" ? tableBlock(source) : undefined;
    if (asTable) tableBlockUsed = true;
    return { source, blocks: asTable ?? renderBlock(source, options, next) };
  });
  if (groups.length === 0) groups.push({ source: { kind: "text", text: reply.text }, blocks: sections(text) });

  const blocks: KnownBlock[] = [];
  let chars = 0;
  const total = groups.reduce((sum, g) => sum + g.blocks.length, 0);
  let placed = 0;
  for (const [index, group] of groups.entries()) {
    for (const block of group.blocks) {
      const last = placed === total - 1;
      const length = blockTextLength(block);
      const fits =
        blocks.length + (last ? 1 : 2) <= maxBlocks &&
        chars + length + (last ? 0 : noteReserve) <= slackLimits.totalText - text.length;
      if (!fits) {
        const rest = groups.slice(index + 1);
        const headings = rest.flatMap((g) => (g.source.kind === "heading" ? [g.source.text] : []));
        // The current part counts too, whether it was cut short (inner > 0) or left out whole.
        blocks.push(omittedNote(rest.length + 1, headings));
        return { text, blocks };
      }
      blocks.push(block);
      chars += length;
      placed++;
    }
  }
  return { text, blocks };
}
