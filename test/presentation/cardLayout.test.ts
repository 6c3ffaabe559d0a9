import MarkdownIt from "markdown-it";
import { beforeAll, describe, expect, it } from "vitest";
import { fallbackText, renderBlockKit } from "../../adapters/slack/blockKit.js";
import { teamsActivity } from "../../adapters/teams/cardMessage.js";
import { collectGallery, type GalleryEntry } from "../../scripts/cards/replyGallery.js";
import { teamsDisabledMarkdownRules, teamsMarkdownOptions } from "../../scripts/cards/teamsMarkdown.js";
import { renderPlainText } from "../../src/reply/plainText.js";
import type { Reply } from "../../src/reply/reply.js";

/**
 * The layout checks behind `npm run render:cards`, on the same replies (the
 * commands run against the demo cluster) but without a browser: what a Teams or
 * Slack user would see broken in a 540 px pane fails here.
 */

/** Teams' chat pane at its narrowest desktop width, minus the card's padding. */
const cardContentWidth = 540 - 2 * 16;
const buttonGap = 8;
/** Segoe UI semibold 14 px: about 7.6 px per character on average, plus 24 px of button padding. */
const buttonCharWidth = 7.6;
const buttonPadding = 24;
/** Columns a table may have and still be read in a narrow pane. */
const maxNarrowColumns = 4;
/** The longest word (no space to break at) a card line can hold at 540 px. */
const maxUnbrokenChars = 60;

const teamsMarkdown = new MarkdownIt(teamsMarkdownOptions).disable(teamsDisabledMarkdownRules);

/** What a Teams user reads from one TextBlock: its markdown rendered, tags dropped, entities decoded. */
function seenInTeams(text: string): string {
  return teamsMarkdown
    .render(text)
    .replace(/<[^>]+>/g, "")
    .replace(/&lt;/g, "<")
    .replace(/&gt;/g, ">")
    .replace(/&quot;/g, '"')
    .replace(/&amp;/g, "&");
}

type Json = Record<string, unknown>;

function walk(node: unknown, visit: (record: Json, monospace: boolean) => void, monospace = false): void {
  if (Array.isArray(node)) {
    for (const child of node) walk(child, visit, monospace);
    return;
  }
  if (!node || typeof node !== "object") return;
  const record = node as Json;
  visit(record, monospace);
  for (const value of Object.values(record)) walk(value, visit, monospace || record.fontType === "Monospace");
}

/** Every string a card shows (TextBlocks and facts), with whether it is monospace (code). */
function cardTexts(card: unknown): { text: string; monospace: boolean; colored: boolean }[] {
  const out: { text: string; monospace: boolean; colored: boolean }[] = [];
  walk(card, (r, monospace) => {
    if (r.type === "TextBlock" && typeof r.text === "string") {
      out.push({
        text: r.text,
        monospace: monospace || r.fontType === "Monospace",
        colored: r.color !== undefined && r.color !== "Default",
      });
    }
    if (r.type === "FactSet" && Array.isArray(r.facts)) {
      for (const f of r.facts as Json[]) {
        out.push({ text: String(f.title), monospace: false, colored: false });
        out.push({ text: String(f.value), monospace: false, colored: false });
      }
    }
  });
  return out;
}

/** The strings of a reply that carry backslashes (UNC and Windows paths), token by token. */
function backslashTokens(reply: Reply): string[] {
  const strings: string[] = [];
  for (const b of reply.blocks) {
    if (b.kind === "text" || b.kind === "status" || b.kind === "heading") strings.push(b.text);
    if (b.kind === "fields") strings.push(...b.fields.map((f) => f.value));
    if (b.kind === "table") strings.push(...b.rows.flatMap((r) => r.cells));
    if (b.kind === "list") strings.push(...b.items);
  }
  return strings.flatMap((s) =>
    s
      .split(/[\s`'"()]+/)
      .filter((t) => t.includes("\\") && t.length <= 40)
      .map((t) => t.replace(/[.,;:]+$/, "")),
  );
}

function teamsProblems({ name, reply }: GalleryEntry, activity = teamsActivity(reply)): string[] {
  const problems: string[] = [];
  const card = activity.attachments?.[0]?.content as Json | undefined;
  if (!activity.text?.trim() && !activity.summary?.trim()) problems.push(`${name}: the activity has no text`);
  if (!card) {
    if (!activity.text?.trim()) problems.push(`${name}: neither a card nor text`);
    return problems;
  }
  const texts = cardTexts(card.body);
  if (!texts.some((t) => t.text.trim())) problems.push(`${name}: the card body shows nothing`);
  const seen = texts.map((t) => (t.monospace ? t.text : seenInTeams(t.text))).join("\n");
  for (const t of texts) {
    if (!t.monospace && seenInTeams(t.text).includes("`")) {
      problems.push(`${name}: a backtick shows literally: ${t.text.slice(0, 80)}`);
    }
    const long = seenInTeams(t.text)
      .split(/\s+/)
      .find((w) => w.length > maxUnbrokenChars);
    if (!t.monospace && long) problems.push(`${name}: "${long.slice(0, 40)}…" runs past the card edge`);
    if (t.colored && t.text.replace(/\p{Extended_Pictographic}|\uFE0F/gu, "").trim().length > 3) {
      problems.push(`${name}: coloured words (colour only for badges): ${t.text.slice(0, 60)}`);
    }
  }
  for (const token of backslashTokens(reply)) {
    if (!seen.includes(token)) problems.push(`${name}: ${token} loses a backslash`);
  }
  walk(card.body, (r) => {
    if (r.type === "Table" && Array.isArray(r.columns) && r.columns.length > maxNarrowColumns) {
      problems.push(`${name}: a table of ${r.columns.length} columns`);
    }
    if (r.type === "ActionSet" && Array.isArray(r.actions)) {
      const primary = (r.actions as Json[]).filter((a) => a.mode !== "secondary");
      if (primary.length > 3) problems.push(`${name}: ${primary.length} primary buttons`);
      const width = (cardContentWidth - buttonGap * (primary.length - 1)) / Math.max(1, primary.length);
      const fits = Math.floor((width - buttonPadding) / buttonCharWidth);
      for (const a of primary) {
        if (String(a.title).length > fits) problems.push(`${name}: button "${a.title}" is cut (fits ${fits})`);
      }
      const titles = (r.actions as Json[]).map((a) => String(a.title));
      if (new Set(titles).size !== titles.length) problems.push(`${name}: two buttons read the same`);
    }
  });
  return problems;
}

/** Inline code spans must pair up outside code blocks, or Slack formats the rest of the line as code. */
function unbalancedBackticks(mrkdwn: string): boolean {
  const outsideFences = mrkdwn.split("```").filter((_, i) => i % 2 === 0);
  return outsideFences.some((part) => ((part.match(/`/g) ?? []).length & 1) === 1);
}

function slackProblems(
  { name, reply }: GalleryEntry,
  message = renderBlockKit(reply, { buttonValue: (c) => `v1.${"0".repeat(32)}.${c}` }),
): string[] {
  const problems: string[] = [];
  if (message.blocks.length === 0) problems.push(`${name}: no blocks`);
  if (!message.text.trim()) problems.push(`${name}: no notification text`);
  const shown: string[] = [];
  walk(message.blocks, (r) => {
    if ((r.type === "mrkdwn" || r.type === "plain_text" || r.type === "raw_text") && typeof r.text === "string") {
      if (!r.text.trim()) problems.push(`${name}: an empty ${String(r.type)} text`);
      if (r.type === "mrkdwn" && unbalancedBackticks(r.text)) {
        problems.push(`${name}: unbalanced backtick in ${r.text.slice(0, 60)}`);
      }
      shown.push(r.text.replace(/&lt;/g, "<").replace(/&gt;/g, ">").replace(/&amp;/g, "&"));
    }
    if (r.type === "section" && !r.text && !r.fields) problems.push(`${name}: an empty section`);
    if (r.type === "table" && Array.isArray(r.rows)) {
      const columns = (r.rows as unknown[][])[0]?.length ?? 0;
      if (columns > maxNarrowColumns) problems.push(`${name}: a table block of ${columns} columns`);
    }
  });
  const all = shown.join("\n");
  if (
    !hasOwnHeadline(reply) &&
    !all.includes(fallbackText(reply).slice(0, 40).replace(/&lt;/g, "<").replace(/&gt;/g, ">"))
  ) {
    problems.push(`${name}: the blocks do not say what happened: ${reply.text.slice(0, 60)}`);
  }
  for (const token of backslashTokens(reply)) {
    if (!all.includes(token)) problems.push(`${name}: ${token} loses a backslash`);
  }
  return problems;
}

/** A reply that opens with its own heading or status line needs no separate headline. */
function hasOwnHeadline(reply: Reply): boolean {
  return reply.blocks.some((b) => b.kind === "heading" || b.kind === "status");
}

let gallery: GalleryEntry[] = [];
beforeAll(async () => {
  gallery = await collectGallery();
}, 90_000);

describe("every reply kind, as the commands produce it against the demo cluster", () => {
  it("covers every reply kind the render script draws", () => {
    const names = gallery.map((e) => e.name);
    for (const kind of [
      "help",
      "status-cluster",
      "status-node",
      "diagnose",
      "errors",
      "explain",
      "incidents",
      "watch-status",
      "alert-stalled",
      "alert-error",
      "alert-unreachable",
      "alert-service-stopped",
      "scan-card",
      "scan-card-summary",
      "scan-card-stopped",
      "reminder",
      "recovery",
      "placeholder-status",
      "confirm-ack",
      "confirm-snooze",
      "confirm-snooze-off",
      "confirm-restart-ask",
      "confirm-restart-done",
    ]) {
      expect(names).toContain(kind);
    }
  });

  it("reads in a 540 px Teams pane: a body, escaped text, buttons that fit, narrow tables", () => {
    expect(gallery.flatMap((e) => teamsProblems(e))).toEqual([]);
  });

  it("reads in Slack: no empty blocks, balanced backticks, backslashes kept, the headline shown", () => {
    expect(gallery.flatMap((e) => slackProblems(e))).toEqual([]);
  });

  it("says what happened in the console too, in lines a terminal holds", () => {
    const problems = gallery.flatMap(({ name, reply }) => {
      const text = renderPlainText(reply);
      const out: string[] = [];
      if (!hasOwnHeadline(reply) && !text.includes(reply.text))
        out.push(`${name}: the console does not show "${reply.text.slice(0, 60)}"`);
      // Table rows (cells padded apart) must fit a terminal; prose lines wrap by themselves.
      const wide = text.split("\n").find((l) => l.length > 120 && /\S {2,}\S/.test(l) && !l.startsWith("    "));
      if (wide) out.push(`${name}: a ${wide.length}-column table line`);
      const prose = text.split("\n").filter((l) => !l.startsWith("    "));
      if (prose.some((l) => /\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d/.test(l))) out.push(`${name}: a raw ISO time`);
      return out;
    });
    expect(problems).toEqual([]);
  });

  it("catches each defect class when a renderer lets one through", () => {
    const entry = gallery.find((e) => e.name === "alert-stalled");
    if (!entry) throw new Error("no stall alert in the gallery");
    const good = teamsActivity(entry.reply);
    const card = good.attachments?.[0]?.content as Json;
    const withBody = (body: unknown[]) => ({
      ...good,
      attachments: [{ contentType: "application/vnd.microsoft.card.adaptive", content: { ...card, body } }],
    });
    const text = (t: string) => ({ type: "TextBlock", text: t, wrap: true });
    const button = (title: string) => ({ type: "Action.Submit", title, data: {} });
    const cell = (t: string) => ({ type: "TableCell", items: [text(t)] });
    const defects: [string, unknown[]][] = [
      ["shows nothing", []],
      ["loses a backslash", [text("Repository \\fs01.contoso.com\\Finance")]],
      ["backtick shows literally", [text("Run `diagnose scan-02`")]],
      [
        "is cut",
        [{ type: "ActionSet", actions: ["Run diagnostics on scan-02", "Show errors", "Acknowledge"].map(button) }],
      ],
      ["primary buttons", [{ type: "ActionSet", actions: ["A", "B", "C", "D"].map(button) }]],
      ["read the same", [{ type: "ActionSet", actions: ["Snooz…", "Snooz…"].map(button) }]],
      [
        "columns",
        [
          {
            type: "Table",
            columns: Array(9).fill({ width: 1 }),
            rows: [{ type: "TableRow", cells: Array(9).fill(cell("x")) }],
          },
        ],
      ],
      ["runs past the card edge", [text(`C:\\Users\\svc-scanner\\${"AppData\\Local\\".repeat(5)}report.csv`)]],
      ["coloured words", [{ ...text("⚠️ No scan progress for 45s"), color: "Warning" }]],
    ];
    for (const [defect, body] of defects) {
      const found = teamsProblems(entry, withBody(body)).join("\n");
      expect(found, defect).toContain(defect);
    }
    const slack = renderBlockKit(entry.reply, { buttonValue: (c) => c });
    const broken = (blocks: unknown[]) => slackProblems(entry, { ...slack, blocks: blocks as typeof slack.blocks });
    expect(broken([{ type: "section", text: { type: "mrkdwn", text: " " } }]).join("\n")).toContain("empty mrkdwn");
    expect(broken([{ type: "section", text: { type: "mrkdwn", text: "see `x" } }]).join("\n")).toContain("unbalanced");
    expect(broken([{ type: "section", text: { type: "mrkdwn", text: "\\fs01" } }]).join("\n")).toContain(
      "loses a backslash",
    );
  });
});
