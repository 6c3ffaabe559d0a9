import { renderPlainText } from "../../src/reply/plainText.js";
import {
  type Action,
  type Block,
  maxNarrowColumns,
  maxPrimaryActions,
  narrowTable,
  presentedBlocks,
  type Reply,
  type Status,
  type TableRow,
} from "../../src/reply/reply.js";
import { cardActionData } from "./cardAction.js";
import { cardLiteral, cardProse, shortenLongWords } from "./cardMarkdown.js";

/**
 * Renders the neutral reply model as an Adaptive Card (schema 1.5, which
 * Teams supports: https://learn.microsoft.com/microsoftteams/platform/task-modules-and-cards/cards/cards-reference).
 * Teams refuses messages above ~28 KB, so a reply that does not fit is
 * summarised step by step (fewer rows, shorter code, fewer sections), never refused.
 */

/** Element types this renderer emits; tests check cards against this list. */
export const cardElementTypes = [
  "TextBlock",
  "FactSet",
  "Table",
  "TableRow",
  "TableCell",
  "ActionSet",
  "Container",
  "Image",
] as const;
export const cardActionTypes = ["Action.Submit", "Action.ShowCard", "Action.OpenUrl"] as const;

export type CardElement = { type: (typeof cardElementTypes)[number]; [key: string]: unknown };
export type CardAction = { type: (typeof cardActionTypes)[number]; title: string; [key: string]: unknown };

export interface AdaptiveCard {
  type: "AdaptiveCard";
  $schema: string;
  version: "1.5";
  body: CardElement[];
  fallbackText?: string;
  msteams?: { width: "Full" };
  [key: string]: unknown;
}

/** Budget for the card JSON; the activity envelope around it needs the rest of Teams' ~28 KB. */
export const maxCardBytes = 24 * 1024;

/** How hard to summarise; each level trims more. */
interface Limits {
  rows: number;
  cellChars: number;
  codeChars: number;
  textChars: number;
  listItems: number;
  facts: number;
}
const levels: Limits[] = [
  { rows: 60, cellChars: 200, codeChars: 6000, textChars: 3000, listItems: 40, facts: 30 },
  { rows: 25, cellChars: 80, codeChars: 2000, textChars: 1200, listItems: 15, facts: 15 },
  { rows: 10, cellChars: 40, codeChars: 600, textChars: 400, listItems: 6, facts: 8 },
];
const maxActionsPerSet = 6;

// Colour lives in the icon; words keep the default text colour (bold yellow on white is hard to read).
const statusIcon: Record<Status, string> = { ok: "✅", warn: "⚠️", error: "❌", info: "ℹ️" };
const rowStyle: Record<Status, string | undefined> = {
  ok: undefined,
  warn: "warning",
  error: "attention",
  info: "accent",
};

/** Cuts text to `max` characters, saying how much was left out. */
export function truncate(text: string, max: number): string {
  if (text.length <= max) return text;
  const kept = text.slice(0, Math.max(0, max - 40));
  return `${kept}… (${text.length - kept.length} more characters)`;
}

const textBlock = (text: string, extra: Record<string, unknown> = {}): CardElement => ({
  type: "TextBlock",
  text,
  wrap: true,
  ...extra,
});

/**
 * A button, or for dangerous / confirmed actions a ShowCard that asks first (Teams has no native confirm).
 * `secondary` buttons go to the card's "…" overflow menu.
 */
function renderAction(action: Action, secondary: boolean): CardAction {
  const needsConfirm = action.confirm !== undefined || action.style === "danger";
  const style = action.style === "danger" ? "destructive" : action.style === "primary" ? "positive" : undefined;
  const placement = { ...(style ? { style } : {}), ...(secondary ? { mode: "secondary" } : {}) };
  if (!needsConfirm) {
    return { type: "Action.Submit", title: action.label, data: cardActionData(action.command), ...placement };
  }
  const confirm = action.confirm ?? {
    title: `${action.label}?`,
    text: `This runs \`${action.command}\`.`,
    confirmLabel: "Confirm",
    denyLabel: "Cancel",
  };
  return {
    type: "Action.ShowCard",
    title: action.label,
    ...placement,
    card: {
      type: "AdaptiveCard",
      version: "1.5",
      body: [textBlock(cardProse(confirm.title), { weight: "Bolder" }), textBlock(cardProse(confirm.text))],
      actions: [
        {
          type: "Action.Submit",
          title: confirm.confirmLabel,
          style: "destructive",
          data: cardActionData(action.command, true),
        },
      ],
    },
  };
}

/** Relative column widths from content: the longest word (so none breaks mid-word) and the typical cell length. */
function columnWidths(columns: string[], rows: TableRow[]): number[] {
  // The first column also carries a row's status icon.
  const icon = rows.some((r) => r.status && r.status !== "ok") ? 3 : 0;
  return columns.map((label, i) => {
    const cells = [label, ...rows.map((r) => r.cells[i] ?? "")];
    const longestWord = Math.max(...cells.flatMap((c) => c.split(/\s+/).map((w) => w.length)));
    const typical = cells.reduce((sum, c) => sum + c.length, 0) / cells.length;
    return Math.max(3, Math.min(40, Math.max(longestWord, Math.round(typical)))) + (i === 0 ? icon : 0);
  });
}

/** A narrow table (at most four columns), each column as wide as its content needs. */
function narrowTableElement(columns: string[], rows: TableRow[], limits: Limits): CardElement {
  const cell = (text: string, bold = false): CardElement => ({
    type: "TableCell",
    items: [textBlock(cardProse(truncate(text, limits.cellChars)), bold ? { weight: "Bolder" } : {})],
  });
  return {
    type: "Table",
    columns: columnWidths(columns, rows).map((width) => ({ width })),
    firstRowAsHeader: true,
    showGridLines: false,
    rows: [
      { type: "TableRow", cells: columns.map((c) => cell(c, true)) },
      ...rows.map((row): CardElement => {
        const style = row.status ? rowStyle[row.status] : undefined;
        const first = row.status && row.status !== "ok" ? `${statusIcon[row.status]} ` : "";
        const cells = columns.map((_, i) => cell(`${i === 0 ? first : ""}${row.cells[i] ?? ""}`));
        return { type: "TableRow", cells, ...(style ? { style } : {}) };
      }),
    ],
  };
}

/** A table too wide for the pane and with no narrow view: one short paragraph per row, first cell in bold. */
function rowsAsParagraphs(columns: string[], rows: TableRow[], limits: Limits): CardElement[] {
  return rows.map((row, index) => {
    const [first = "", ...rest] = row.cells;
    const icon = row.status && row.status !== "ok" ? `${statusIcon[row.status]} ` : "";
    const details = rest
      .map((cell, i) => (cell && cell !== "—" ? `${cardLiteral(columns[i + 1] ?? "")}: ${cardProse(cell)}` : ""))
      .filter(Boolean)
      .join(" · ");
    const text = `${icon}**${cardProse(first)}**${details ? ` · ${details}` : ""}`;
    return textBlock(truncate(text, limits.cellChars * 4), index === 0 ? {} : { spacing: "Small" });
  });
}

function renderTable(block: Extract<Block, { kind: "table" }>, limits: Limits): CardElement[] {
  const view = narrowTable(block);
  const shown = view.rows.slice(0, limits.rows);
  const total = Math.max(block.totalRows ?? 0, block.rows.length);
  const columns = view.columns.length > 0 ? view.columns : (shown[0]?.cells.map(() => "") ?? [""]);
  const out: CardElement[] =
    columns.length <= maxNarrowColumns
      ? [narrowTableElement(columns, shown, limits)]
      : rowsAsParagraphs(columns, shown, limits);
  if (total > shown.length) out.push(textBlock(`… ${total - shown.length} more`, { isSubtle: true, spacing: "None" }));
  return out;
}

/** Base64 characters of a PNG the card may carry inline (about 15 KB of PNG), leaving room for the rest. */
export const maxInlineImageChars = 20_000;

function renderBlock(block: Block, limits: Limits): CardElement[] {
  switch (block.kind) {
    case "heading":
      return [textBlock(cardProse(truncate(block.text, 200)), { size: "Large", weight: "Bolder" })];
    case "text":
      return [textBlock(cardProse(truncate(block.text, limits.textChars)))];
    case "fields": {
      const facts = block.fields.slice(0, limits.facts).map((f) => ({
        title: cardProse(truncate(f.label, 60)),
        value: cardProse(
          truncate(`${f.status && f.status !== "ok" ? `${statusIcon[f.status]} ` : ""}${f.value}`, limits.cellChars),
        ),
      }));
      const out: CardElement[] = [{ type: "FactSet", facts }];
      const hidden = block.fields.length - facts.length;
      if (hidden > 0) out.push(textBlock(`… ${hidden} more`, { isSubtle: true, spacing: "None" }));
      return out;
    }
    case "table":
      return renderTable(block, limits);
    case "status":
      return [
        textBlock(`${statusIcon[block.status]} ${cardProse(truncate(block.text, limits.textChars))}`, {
          weight: "Bolder",
        }),
      ];
    case "code":
      // Monospace TextBlocks go through Teams' markdown too: escape, but keep lines and long words whole.
      return [
        {
          type: "Container",
          style: "emphasis",
          items: [
            textBlock(cardLiteral(truncate(block.text, limits.codeChars)), { fontType: "Monospace", size: "Small" }),
          ],
        },
      ];
    case "list": {
      const items = block.items.slice(0, limits.listItems);
      const lines = items.map(
        (item, i) => `${block.ordered ? `${i + 1}.` : "-"} ${cardProse(truncate(item, limits.textChars))}`,
      );
      if (block.items.length > items.length) lines.push(`… ${block.items.length - items.length} more`);
      return [textBlock(lines.join("\n"))];
    }
    case "link":
      return /^https?:\/\//i.test(block.url)
        ? [textBlock(`[${cardLiteral(block.text.replace(/[[\]]/g, ""))}](${block.url})`)]
        : [textBlock(`${cardProse(block.text)}: ${cardLiteral(shortenLongWords(block.url))}`)];
    case "actions": {
      const actions = block.actions.slice(0, maxActionsPerSet);
      return [{ type: "ActionSet", actions: actions.map((a, i) => renderAction(a, i >= maxPrimaryActions)) }];
    }
    case "divider":
      return [];
    case "image":
      // Cards are limited to about 28 KB: a chart too big to travel inline is described instead.
      return block.pngBase64.length <= maxInlineImageChars
        ? [{ type: "Image", url: `data:image/png;base64,${block.pngBase64}`, altText: truncate(block.altText, 200) }]
        : [textBlock(`📈 ${truncate(block.altText, limits.textChars)}`, { isSubtle: true })];
  }
}

function renderBody(blocks: readonly Block[], limits: Limits): CardElement[] {
  const body: CardElement[] = [];
  let separate = false;
  for (const block of blocks) {
    if (block.kind === "divider") {
      separate = true;
      continue;
    }
    const elements = renderBlock(block, limits);
    const [first] = elements;
    if (separate && first) first.separator = true;
    separate = false;
    body.push(...elements);
  }
  return body;
}

function card(body: CardElement[], reply: Reply): AdaptiveCard {
  return {
    type: "AdaptiveCard",
    $schema: "http://adaptivecards.io/schemas/adaptive-card.json",
    version: "1.5",
    body,
    fallbackText: truncate(reply.text, 300),
    msteams: { width: "Full" },
  };
}

/** Bytes of a card as it travels (JSON, UTF-8). */
export function cardBytes(value: unknown): number {
  return Buffer.byteLength(JSON.stringify(value), "utf8");
}

/** Renders a reply as an Adaptive Card that fits within `maxBytes`, summarising when it must. */
export function renderAdaptiveCard(reply: Reply, maxBytes = maxCardBytes): AdaptiveCard {
  const blocks = presentedBlocks(reply);
  for (const limits of levels) {
    const rendered = card(renderBody(blocks, limits), reply);
    if (cardBytes(rendered) <= maxBytes) return rendered;
  }
  // Still too big at the tightest level: keep the leading blocks that fit and say what was left out.
  const tightest = levels[levels.length - 1] as Limits;
  const kept: CardElement[] = [];
  let dropped = 0;
  for (const [index, block] of blocks.entries()) {
    const elements = renderBody([block], tightest);
    const trial = card([...kept, ...elements, omittedNote(blocks.length - index)], reply);
    if (cardBytes(trial) > maxBytes) {
      dropped = blocks.length - index;
      break;
    }
    kept.push(...elements);
  }
  const summarised = card([...kept, omittedNote(dropped)], reply);
  if (cardBytes(summarised) <= maxBytes) return summarised;
  return card([textBlock(cardProse(truncate(reply.text, 1000)), { weight: "Bolder" }), omittedNote(dropped)], reply);
}

function omittedNote(sections: number): CardElement {
  return textBlock(
    `… ${sections} more section${sections === 1 ? "" : "s"} left out to fit a Teams message. Ask about one node or one error for the full answer.`,
    { isSubtle: true },
  );
}

/** Plain-text rendering for clients without cards and for logs. */
export function renderTeamsText(reply: Reply, maxChars = 20_000): string {
  return truncate(renderPlainText(reply), maxChars);
}
