import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { renderBlockKit, type SlackMessage, slackLimits } from "../../adapters/slack/blockKit.js";
import { createButtonValueCodec } from "../../adapters/slack/buttonValue.js";
import { type Block, type Reply, reply, replySchema } from "../../src/reply/reply.js";

const codec = createButtonValueCodec("xoxb-test");
const render = (r: Reply, maxBlocks?: number) =>
  renderBlockKit(r, { buttonValue: codec.encode, ...(maxBlocks ? { maxBlocks } : {}) });

type Obj = Record<string, unknown>;
const asObj = (v: unknown) => (v ?? {}) as Obj;

/** Every mrkdwn string must be escaped: no bare `<`/`>` outside link syntax, every `&` an entity. */
function escapingProblem(text: string): string | undefined {
  const withoutLinks = text.replace(/<(?:https?:\/\/|mailto:)[^\s<>|]+\|[^<>]*>/g, "");
  if (/[<>]/.test(withoutLinks)) return "unescaped < or >";
  if (/&(?!amp;|lt;|gt;)/.test(withoutLinks)) return "bare &";
  return undefined;
}

function textLengths(value: unknown): number {
  if (Array.isArray(value)) return value.reduce((sum: number, v) => sum + textLengths(v), 0);
  if (value === null || typeof value !== "object") return 0;
  return Object.entries(value).reduce(
    (sum, [k, v]) => sum + (k === "text" && typeof v === "string" ? v.length : textLengths(v)),
    0,
  );
}

/** Checks a rendered message against every Slack limit the renderer promises to respect. */
function violations(message: SlackMessage, maxBlocks: number = slackLimits.blocksPerMessage): string[] {
  const out: string[] = [];
  const check = (ok: boolean, what: string) => {
    if (!ok) out.push(what);
  };
  const mrkdwn = (t: Obj, where: string, max: number) => {
    const text = String(t.text ?? "");
    check(text.length > 0, `${where}: empty text`);
    check(text.length <= max, `${where}: ${text.length} > ${max} chars`);
    if (t.type === "mrkdwn") {
      const problem = escapingProblem(text);
      check(!problem, `${where}: ${problem}`);
    }
  };
  check(message.text.length > 0 && message.text.length <= slackLimits.totalText, "fallback text length");
  check(message.blocks.length <= maxBlocks, `${message.blocks.length} blocks > ${maxBlocks}`);
  check(textLengths(message.blocks) + message.text.length <= slackLimits.totalText, "total text over 40,000");
  const actionIds = new Set<string>();
  let tables = false;
  message.blocks.forEach((b, i) => {
    const block = b as unknown as Obj;
    const where = `block ${i} (${String(block.type)})`;
    switch (block.type) {
      case "header": {
        const text = asObj(block.text);
        check(text.type === "plain_text", `${where}: header must be plain_text`);
        mrkdwn(text, where, slackLimits.headerText);
        break;
      }
      case "section": {
        if (block.text) mrkdwn(asObj(block.text), where, slackLimits.sectionText);
        const fields = (block.fields ?? []) as Obj[];
        check(Boolean(block.text) || fields.length > 0, `${where}: section without text or fields`);
        check(fields.length <= slackLimits.fieldsPerSection, `${where}: ${fields.length} fields`);
        for (const f of fields) mrkdwn(f, `${where} field`, slackLimits.fieldText);
        break;
      }
      case "context": {
        const elements = block.elements as Obj[];
        check(elements.length > 0 && elements.length <= slackLimits.contextElements, `${where}: elements`);
        for (const e of elements) mrkdwn(e, where, slackLimits.contextText);
        break;
      }
      case "table": {
        // https://docs.slack.dev/reference/block-kit/blocks/table-block: at most 100 rows of 20 cells, one per message.
        const rows = block.rows as Obj[][];
        check(rows.length >= 1 && rows.length <= 100, `${where}: rows`);
        check(
          rows.every((r) => r.length >= 1 && r.length <= 20 && r.length === rows[0]?.length),
          `${where}: cells`,
        );
        check(
          rows.flat().every((c) => c.type === "raw_text" && String(c.text).length > 0),
          `${where}: cell text`,
        );
        check(!tables, `${where}: a second table block`);
        tables = true;
        break;
      }
      case "actions": {
        const elements = block.elements as Obj[];
        check(elements.length > 0 && elements.length <= slackLimits.elementsPerActions, `${where}: elements`);
        for (const e of elements) {
          const id0 = String(e.action_id);
          if (e.type === "overflow") {
            // An overflow menu: 2–5 options, each a plain-text label and a value of at most 150 characters.
            const options = e.options as Obj[];
            check(options.length >= 1 && options.length <= 5, `${where}: overflow options`);
            for (const o of options) {
              mrkdwn(asObj(o.text), `${where} overflow option`, slackLimits.buttonText);
              check(String(o.value).length <= 150, `${where}: overflow value too long`);
            }
            check(!actionIds.has(id0), `${where}: action_id ${id0}`);
            actionIds.add(id0);
            continue;
          }
          mrkdwn(asObj(e.text), `${where} button`, slackLimits.buttonText);
          check(String(e.value).length <= slackLimits.buttonValue, `${where}: value too long`);
          const id = String(e.action_id);
          check(id.length <= slackLimits.actionId && !actionIds.has(id), `${where}: action_id ${id}`);
          actionIds.add(id);
          if (e.confirm) {
            const c = asObj(e.confirm);
            mrkdwn(asObj(c.title), `${where} confirm title`, slackLimits.confirmTitle);
            mrkdwn(asObj(c.text), `${where} confirm text`, slackLimits.confirmText);
            mrkdwn(asObj(c.confirm), `${where} confirm button`, slackLimits.confirmButton);
            mrkdwn(asObj(c.deny), `${where} deny button`, slackLimits.confirmButton);
          }
        }
        break;
      }
      case "divider":
        break;
      default:
        out.push(`${where}: unexpected block type`);
    }
  });
  return out;
}

const allText = (m: SlackMessage) => JSON.stringify(m.blocks);
const moreCount = (m: SlackMessage, noun: string) => {
  const match = new RegExp(`… (\\d+) more ${noun}`).exec(allText(m));
  return match ? Number(match[1]) : 0;
};

function statusTable(nodes: number): Reply {
  const rows = Array.from({ length: nodes }, (_, i) => ({
    cells: [
      `FS-NODE-${String(i + 1).padStart(3, "0")}`,
      i % 7 === 0 ? "Stalled" : "Scanning",
      `\\\\fileserver${i % 9}\\finance & legal <archive>`,
      `${(i * 37) % 100}%`,
      `${i % 60}m ago`,
    ],
    status: i % 7 === 0 ? ("warn" as const) : ("ok" as const),
  }));
  return reply(`${nodes} scanner nodes, ${Math.ceil(nodes / 7)} need attention`, { status: "warn" })
    .heading("Scanner fleet")
    .fields([
      { label: "Clusters", value: "4" },
      { label: "Nodes", value: String(nodes) },
    ])
    .table(["Node", "State", "Repository", "Progress", "Last scan"], rows)
    .build();
}

function explainedErrors(count: number): Reply {
  const builder = reply(`${count} errors explained`);
  for (let i = 0; i < count; i++) {
    builder
      .heading(`Error ${i + 1}: Microsoft.InformationProtection.Exceptions.SchemaMismatchException`)
      .status("error", "The scanner database schema does not match this scanner version <v2.1 & up>.")
      .text(`${"The scanner node cannot start because the SQL schema was created by a different version. ".repeat(6)}`)
      .list(
        [
          "Stop the scanner service (MIPScanner) on every node of the cluster.",
          "Run Update-ScannerDatabase -SqlServerInstance SQL01\\SCANNER on one node.",
          "Start the service again and check Get-ScannerStatus.",
          "If it still fails, collect logs with Start-ScannerDiagnostics -OnlineCheck.",
          "Compare the installed version in Programs and Features with the cluster's.",
        ],
        true,
      )
      .code("Update-ScannerDatabase -SqlServerInstance SQL01\\SCANNER -Profile Europe")
      .link("Troubleshooting the scanner", "https://learn.microsoft.com/purview/deploy-scanner-manage")
      .actions([{ label: "Run diagnostics", command: `diagnose node-${i}` }])
      .divider();
  }
  return builder.build();
}

describe("Block Kit renderer: the largest replies stay within Slack's limits", () => {
  it("200-node status table: every row accounted for, shown or counted in '… N more rows'", () => {
    const message = render(statusTable(200));
    expect(violations(message)).toEqual([]);
    const shown = (allText(message).match(/FS-NODE-\d{3}/g) ?? []).length;
    expect(shown).toBeGreaterThan(50);
    expect(shown + moreCount(message, "row")).toBe(200);
    expect(allText(message)).toContain("&amp; legal &lt;archive&gt;");
  });

  it("the table's own 'totalRows' (rows the command already left out) is reported too", () => {
    const full = statusTable(30);
    const table = full.blocks.find((b) => b.kind === "table") as Extract<Block, { kind: "table" }>;
    const message = render({ ...full, blocks: [{ ...table, totalRows: 500 }] });
    expect(violations(message)).toEqual([]);
    const shown = (allText(message).match(/FS-NODE-\d{3}/g) ?? []).length;
    expect(shown + moreCount(message, "row")).toBe(500);
  });

  it("50 explained errors with fix steps: within limits, and a closing note names what was left out", () => {
    const r = explainedErrors(50);
    const message = render(r);
    expect(violations(message)).toEqual([]);
    const headers = message.blocks.filter((b) => b.type === "header").length;
    expect(headers).toBeGreaterThan(0);
    expect(headers).toBeLessThan(50);
    const omitted = moreCount(message, "part");
    // Every reply block is either fully shown or counted in the note.
    expect(omitted).toBeGreaterThanOrEqual((50 - headers) * 8);
    expect(message.blocks.at(-1)?.type).toBe("context");
    expect(allText(message)).toMatch(/including “Error \d+/);
  });

  it("the same answer on App Home may use 100 blocks", () => {
    const message = render(explainedErrors(50), slackLimits.blocksPerHomeView);
    expect(violations(message, slackLimits.blocksPerHomeView)).toEqual([]);
    expect(message.blocks.length).toBeGreaterThan(slackLimits.blocksPerMessage);
  });

  it("a huge code block is cut with '… N more lines', never a broken fence", () => {
    const lines = Array.from(
      { length: 40_000 },
      (_, i) => `2026-11-25 03:${String(i % 60).padStart(2, "0")} ERROR <Scanner> file \\\\fs\\share\\${i}.docx & more`,
    );
    const message = render(reply("scanner log").heading("Scanner log").code(lines.join("\n")).build());
    expect(violations(message)).toEqual([]);
    const shown = message.blocks
      .filter((b) => b.type === "section")
      .map((b) => String(asObj(asObj(b).text).text))
      .reduce((n, t) => {
        expect(t.startsWith("```\n") && t.endsWith("\n```")).toBe(true);
        return n + t.split("\n").length - 2;
      }, 0);
    expect(shown + moreCount(message, "line")).toBe(40_000);
  });

  it("long headings, fields, buttons, confirmations and text are split or shortened, never dropped silently", () => {
    const long = "Very long & <dangerous> words ".repeat(400);
    const texts = render(
      reply(long)
        .heading(long)
        .fields(Array.from({ length: 23 }, (_, i) => ({ label: `Field ${i} ${long}`, value: long, status: "warn" })))
        .build(),
    );
    expect(violations(texts)).toEqual([]);
    expect(texts.blocks[0]?.type).toBe("header");
    // The heading's full wording follows its shortened header; fields that don't fit are counted.
    expect(allText(texts)).toContain("words Very long &amp; &lt;dangerous&gt;");
    expect(texts.blocks.at(-1)?.type).toBe("context");
    expect(moreCount(texts, "part")).toBeGreaterThan(0);

    const buttons = render(
      reply("actions")
        .actions(
          Array.from({ length: 30 }, (_, i) => ({
            label: `Restart the scanner service on node ${i} ${long}`,
            command: `restart node-${i}`,
            style: "danger" as const,
            confirm: { title: long, text: long, confirmLabel: long, denyLabel: long },
          })),
        )
        .actions([{ label: "Too long to carry", command: `explain ${"x".repeat(3000)}` }])
        .build(),
    );
    expect(violations(buttons)).toEqual([]);
    const elements = buttons.blocks.filter((b) => b.type === "actions").flatMap((b) => asObj(b).elements as Obj[]);
    expect(elements).toHaveLength(30);
    expect(allText(buttons)).toContain("Run it yourself: Too long to carry");
    const essay = render(reply(long).text(long.repeat(20)).build());
    expect(violations(essay)).toEqual([]);
    expect(essay.blocks.at(-1)?.type).toBe("context");
  });

  it("escapes &, < and > in mrkdwn and keeps links clickable", () => {
    const message = render(
      reply("a & b")
        .text("if x < 3 && y > 2")
        .link("Docs <here>", "https://learn.microsoft.com/a?b=1&c=2")
        .link("not a link", "javascript:alert(1)")
        .build(),
    );
    expect(violations(message)).toEqual([]);
    const text = allText(message);
    expect(text).toContain("if x &lt; 3 &amp;&amp; y &gt; 2");
    expect(text).toContain("<https://learn.microsoft.com/a?b=1&amp;c=2|Docs &lt;here&gt;>");
    expect(text).not.toContain("<javascript:");
    expect(message.text).toBe("a &amp; b");
  });

  it("any reply, however odd, renders within the limits", () => {
    // Short odd strings, and long ones made of the characters that need escaping or break fences.
    const str = fc.oneof(
      fc.string({ maxLength: 40, unit: "grapheme" }),
      fc.string({
        unit: fc.constantFrom("&", "<", ">", "a", " ", "\n", "`", "|", "é"),
        minLength: 500,
        maxLength: 5000,
      }),
    );
    const status = fc.constantFrom("ok" as const, "warn" as const, "error" as const, "info" as const);
    const block = fc.oneof(
      fc.record({ kind: fc.constant("heading" as const), text: str }),
      fc.record({ kind: fc.constant("text" as const), text: str }),
      fc.record({ kind: fc.constant("status" as const), status, text: str }),
      fc.record({ kind: fc.constant("code" as const), text: str }),
      fc.record({ kind: fc.constant("divider" as const) }),
      fc.record({ kind: fc.constant("link" as const), text: str, url: str }),
      fc.record({ kind: fc.constant("list" as const), items: fc.array(str, { maxLength: 30 }), ordered: fc.boolean() }),
      fc.record({
        kind: fc.constant("fields" as const),
        fields: fc.array(fc.record({ label: str, value: str }), { maxLength: 25 }),
      }),
      fc.record({
        kind: fc.constant("table" as const),
        columns: fc.array(str, { maxLength: 12 }),
        rows: fc.array(fc.record({ cells: fc.array(str, { maxLength: 12 }) }), { maxLength: 40 }),
      }),
      fc.record({
        kind: fc.constant("actions" as const),
        actions: fc.array(
          fc.record({
            label: str.filter((s) => s.length > 0),
            command: str.filter((s) => s.length > 0),
            style: fc.constantFrom("primary" as const, "danger" as const),
          }),
          { maxLength: 30 },
        ),
      }),
    );
    fc.assert(
      fc.property(str, fc.array(block, { maxLength: 70 }), (text, blocks) => {
        const r = replySchema.parse({ text, blocks });
        expect(violations(render(r))).toEqual([]);
      }),
      { numRuns: 150 },
    );
  });
});

describe("Block Kit renderer: tables and buttons in a narrow pane", () => {
  const nodes = reply("contoso-prod: 1 of 2 nodes scanning", { status: "error" })
    .heading("Cluster contoso-prod")
    .table(
      ["Node", "Status", "Scanning", "Scanned files", "Scanned size", "Last progress"],
      [
        { cells: ["scan-01", "Scanning", "True", "4,500", "1.7 GB", "just now"], status: "ok" },
        { cells: ["scan-02", "Error", "False", "91", "41 MB", "29m ago"], status: "error" },
      ],
      undefined,
      [
        { label: "Node", from: [0] },
        { label: "Status", from: [1] },
        { label: "Scanned", from: [3, 4] },
        { label: "Last progress", from: [5] },
      ],
    )
    .build();

  it("draws a table's narrow view as Block Kit's table block, and as section fields when told to", () => {
    const asTable = renderBlockKit(nodes, { buttonValue: (c) => c });
    const table = asTable.blocks.find((b) => b.type === "table") as { rows: { text: string }[][] } | undefined;
    expect(table?.rows.map((r) => r.map((c) => c.text))).toEqual([
      ["Node", "Status", "Scanned", "Last progress"],
      ["scan-01", "Scanning", "4,500 · 1.7 GB", "just now"],
      ["❌ scan-02", "Error", "91 · 41 MB", "29m ago"],
    ]);
    const asSections = renderBlockKit(nodes, { buttonValue: (c) => c, tables: "sections" });
    expect(asSections.blocks.some((b) => b.type === "table")).toBe(false);
    expect(JSON.stringify(asSections.blocks)).toContain("*Scanned size*\\n1.7 GB");
  });

  it("shows three buttons and puts the rest in one overflow menu", () => {
    const labels = ["Run diagnostics", "Show errors", "Acknowledge #2", "Snooze for 1 hour", "Snooze for 4 hours"];
    const message = renderBlockKit(
      reply("x")
        .actions(labels.map((label, i) => ({ label, command: `cmd ${i}` })))
        .build(),
      { buttonValue: (c) => c },
    );
    const actions = message.blocks.find((b) => b.type === "actions") as unknown as {
      elements: Record<string, unknown>[];
    };
    expect(actions.elements.map((e) => e.type)).toEqual(["button", "button", "button", "overflow"]);
    const menu = actions.elements[3] as { options: { text: { text: string }; value: string }[] };
    expect(menu.options.map((o) => [o.text.text, o.value])).toEqual([
      ["Snooze for 1 hour", "cmd 3"],
      ["Snooze for 4 hours", "cmd 4"],
    ]);
  });
});
