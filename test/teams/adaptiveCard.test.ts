import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  cardActionTypes,
  cardBytes,
  cardElementTypes,
  maxCardBytes,
  renderAdaptiveCard,
  renderTeamsText,
} from "../../adapters/teams/adaptiveCard.js";
import { cardActivity } from "../../adapters/teams/cardMessage.js";
import { type Block, type Reply, reply, replySchema } from "../../src/reply/reply.js";

/** Teams refuses a message above about 28 KB, envelope included. */
const teamsMessageLimit = 28 * 1024;
const knownTypes = new Set<string>(["AdaptiveCard", ...cardElementTypes, ...cardActionTypes]);

/** Every problem found walking a card: unknown types, wrong versions, malformed parts. */
function cardProblems(node: unknown, path = "card"): string[] {
  if (Array.isArray(node)) return node.flatMap((child, i) => cardProblems(child, `${path}[${i}]`));
  if (!node || typeof node !== "object") return [];
  const record = node as Record<string, unknown>;
  const problems: string[] = [];
  if ("type" in record) {
    const type = String(record.type);
    if (!knownTypes.has(type)) problems.push(`${path}: unknown type ${type}`);
    if (type === "AdaptiveCard" && record.version !== "1.5")
      problems.push(`${path}: version ${String(record.version)}`);
    if (type === "TextBlock" && typeof record.text !== "string") problems.push(`${path}: TextBlock without text`);
    if (type === "Table" && !Array.isArray(record.rows)) problems.push(`${path}: Table without rows`);
    if (type === "TableRow" && !Array.isArray(record.cells)) problems.push(`${path}: TableRow without cells`);
    if (type.startsWith("Action.") && typeof record.title !== "string") problems.push(`${path}: action without title`);
  }
  for (const [key, value] of Object.entries(record)) problems.push(...cardProblems(value, `${path}.${key}`));
  return problems;
}

function expectValidCard(rendered: unknown): void {
  expect(cardProblems(rendered)).toEqual([]);
  expect(cardBytes(rendered)).toBeLessThanOrEqual(maxCardBytes);
}

function statusReport(nodes: number): Reply {
  const rows = Array.from({ length: nodes }, (_, i) => ({
    cells: [
      `SCAN-NODE-${String(i + 1).padStart(3, "0")}.corp.contoso.com`,
      i % 7 === 0 ? "Stalled" : "Scanning",
      `${(i * 7919) % 100_000} files`,
      "2026-11-25 02:41:07",
      i % 7 === 0 ? "No progress for 45m; last error: The remote server returned an error: (401) Unauthorized." : "",
    ],
    status: i % 7 === 0 ? ("error" as const) : ("ok" as const),
  }));
  return reply(`${nodes} nodes, ${Math.ceil(nodes / 7)} stalled`, { status: "error" })
    .heading("Scanner fleet: prod")
    .fields([
      { label: "Cluster", value: "prod-emea" },
      { label: "Nodes", value: String(nodes) },
      { label: "Stalled", value: String(Math.ceil(nodes / 7)), status: "error" },
    ])
    .table(["Node", "State", "Scanned", "Last update", "Note"], rows, undefined, [
      { label: "Node", from: [0] },
      { label: "State", from: [1, 4] },
      { label: "Scanned", from: [2] },
      { label: "Last update", from: [3] },
    ])
    .actions([
      { label: "Diagnose stalled nodes", command: "diagnose SCAN-NODE-001", style: "primary" },
      { label: "Errors", command: "errors SCAN-NODE-001 20" },
      { label: "Restart service", command: "restart SCAN-NODE-001", style: "danger" },
    ])
    .build();
}

function explainedErrors(count: number): Reply {
  const builder = reply(`${count} errors explained`);
  for (let i = 0; i < count; i++) {
    builder
      .heading(`Error ${i + 1}: Failed to connect to SQL Server 'SQLPROD${i}'`)
      .status("error", "The scanner service cannot reach its configuration database.")
      .text(
        "The scanner keeps its configuration and state in SQL Server. When the service account cannot log in, or the instance name is wrong, the service stops right after start. ".repeat(
          3,
        ),
      )
      .list([
        "Check that the SQL Server instance is reachable on port 1433 from the scanner node.",
        "Check that the scanner service account has db_owner on the scanner database.",
        "Run Start-AIPScannerDiagnostics -OnBehalfOf $cred and read the SQL section.",
        "If the database was moved, run Set-AIPScanner -SqlServerInstance with the new name.",
      ])
      .code(
        `Microsoft.InformationProtection.Scanner.ScannerException: Failed to connect to SQL Server 'SQLPROD${i}'\n   at Scanner.Db.Open()\n`.repeat(
          8,
        ),
      )
      .link(
        "Troubleshooting article",
        "https://learn.microsoft.com/purview/deploy-scanner-manage#troubleshooting-your-scanner-deployment",
      )
      .divider();
  }
  return builder.build();
}

describe("Adaptive Card renderer", () => {
  it("renders a small reply fully, as a 1.5 card with a fallback text", () => {
    const card = renderAdaptiveCard(
      reply("pong", { status: "ok" })
        .heading("Ping")
        .fields([{ label: "Answer", value: "pong" }])
        .build(),
    );
    expectValidCard(card);
    expect(card.version).toBe("1.5");
    expect(card.fallbackText).toBe("pong");
    expect(card.body.map((e) => e.type)).toEqual(["TextBlock", "FactSet"]);
  });

  it("summarises a 200-node status report within the size limit", () => {
    const report = statusReport(200);
    expect(cardBytes(renderAdaptiveCard(report, Number.POSITIVE_INFINITY))).toBeGreaterThan(maxCardBytes);
    const card = renderAdaptiveCard(report);
    expectValidCard(card);
    const table = card.body.find((e) => e.type === "Table") as { rows: unknown[] } | undefined;
    expect(table).toBeDefined();
    const shownRows = (table?.rows.length ?? 1) - 1;
    expect(shownRows).toBeGreaterThanOrEqual(10);
    expect(JSON.stringify(card)).toContain(`… ${200 - shownRows} more`);
    // Buttons survive summarising, the dangerous one behind a confirmation.
    expect(JSON.stringify(card)).toContain('"Action.ShowCard"');
    expect(Buffer.byteLength(JSON.stringify(cardActivity(report)))).toBeLessThan(teamsMessageLimit);
  });

  it("keeps 50 explained errors within the limit and says how many sections were left out", () => {
    const card = renderAdaptiveCard(explainedErrors(50));
    expectValidCard(card);
    const text = JSON.stringify(card);
    expect(text).toContain("Error 1: Failed to connect");
    expect(text).toMatch(/… \d+ more sections? left out/);
    expect(text).not.toContain("Error 50:");
  });

  it("truncates huge code blocks instead of failing", () => {
    const trace = "   at Microsoft.InformationProtection.Scanner.Worker.Run()\n".repeat(20_000);
    const card = renderAdaptiveCard(reply("trace").code(trace).build());
    expectValidCard(card);
    expect(JSON.stringify(card)).toMatch(/more characters\)/);
  });

  it("puts dangerous actions behind a confirmation ShowCard", () => {
    const card = renderAdaptiveCard(
      reply("x")
        .actions([
          { label: "Errors", command: "errors SCAN-NODE-02" },
          { label: "Stop scan", command: "scan stop prod", style: "danger" },
        ])
        .build(),
    );
    const set = card.body.find((e) => e.type === "ActionSet");
    const actions = (set as unknown as { actions: Record<string, unknown>[] }).actions;
    expect(actions[0]).toMatchObject({ type: "Action.Submit", data: { scannerCommand: "errors SCAN-NODE-02" } });
    expect(actions[1]).toMatchObject({ type: "Action.ShowCard", title: "Stop scan", style: "destructive" });
    const inner = (actions[1]?.card as { actions?: Record<string, unknown>[] } | undefined)?.actions?.[0];
    expect(inner).toMatchObject({ type: "Action.Submit", data: { scannerCommand: "scan stop prod", confirmed: true } });
    expectValidCard(card);
  });

  it("never exceeds the limit or emits unknown elements, whatever the reply", () => {
    const text = fc.string({ maxLength: 3000, unit: "grapheme" });
    const status = fc.constantFrom("ok" as const, "warn" as const, "error" as const, "info" as const);
    const block: fc.Arbitrary<Block> = fc.oneof(
      fc.record({ kind: fc.constant("heading" as const), text }),
      fc.record({ kind: fc.constant("text" as const), text }),
      fc.record({ kind: fc.constant("status" as const), status, text }),
      fc.record({ kind: fc.constant("code" as const), text: fc.string({ maxLength: 20_000 }) }),
      fc.record({
        kind: fc.constant("list" as const),
        items: fc.array(text, { maxLength: 50 }),
        ordered: fc.boolean(),
      }),
      fc.record({
        kind: fc.constant("fields" as const),
        fields: fc.array(fc.record({ label: text, value: text }), { maxLength: 40 }),
      }),
      fc.record({
        kind: fc.constant("table" as const),
        columns: fc.array(fc.string({ maxLength: 30 }), { minLength: 1, maxLength: 6 }),
        rows: fc.array(fc.record({ cells: fc.array(text, { maxLength: 6 }) }), { maxLength: 150 }),
      }),
      fc.record({
        kind: fc.constant("actions" as const),
        actions: fc.array(
          fc.record({
            label: fc.string({ minLength: 1, maxLength: 40 }),
            command: fc.string({ minLength: 1, maxLength: 200 }),
            style: fc.constantFrom("primary" as const, "danger" as const),
          }),
          { maxLength: 10 },
        ),
      }),
      fc.constant({ kind: "divider" as const }),
    );
    fc.assert(
      fc.property(fc.array(block, { maxLength: 40 }), text, (blocks, summary) => {
        const rendered = renderAdaptiveCard(replySchema.parse({ text: summary, blocks }));
        expect(cardProblems(rendered)).toEqual([]);
        expect(cardBytes(rendered)).toBeLessThanOrEqual(maxCardBytes);
      }),
      { numRuns: 60 },
    );
  });

  it("has a plain-text fallback that keeps the content readable", () => {
    const text = renderTeamsText(statusReport(3));
    expect(text).toContain("SCAN-NODE-001.corp.contoso.com");
    expect(text).toContain("[ERROR]");
  });
});
