import { describe, expect, it } from "vitest";
import { explanationJson, explanationJsonSchema } from "../../src/knowledge/explanationJson.js";
import {
  entrySummaryBlocks,
  explanationBlocks,
  explanationReply,
  maxExplainedFindings,
  relatedActions,
} from "../../src/knowledge/explanationReply.js";
import { findEntry } from "../../src/knowledge/knowledgeBase.js";
import { explainText } from "../../src/knowledge/matcher.js";
import { renderPlainText } from "../../src/reply/plainText.js";
import { replySchema } from "../../src/reply/reply.js";

const schema = findEntry("mismatched-or-outdated-schema");
if (!schema) throw new Error("fixture entry missing");

describe("entrySummaryBlocks", () => {
  it("renders meaning, ordered fix steps, actions and the source link", () => {
    const blocks = entrySummaryBlocks(schema, { node: "scan-02" });
    expect(blocks.map((b) => b.kind)).toEqual(["heading", "text", "text", "list", "actions", "link"]);
    const list = blocks.find((b) => b.kind === "list");
    expect(list?.kind === "list" && list.ordered).toBe(true);
    const actions = blocks.find((b) => b.kind === "actions");
    expect(actions?.kind === "actions" && actions.actions.map((a) => a.command)).toEqual([
      "diagnose scan-02",
      "status",
    ]);
    expect(blocks.at(-1)).toMatchObject({ kind: "link", url: schema.source.url });
  });

  it("leaves out commands that need a node when none is known", () => {
    expect(relatedActions(schema).map((a) => a.command)).toEqual(["status"]);
    const noActions = findEntry("scanner-cmdlet-not-found");
    expect(noActions && entrySummaryBlocks(noActions).some((b) => b.kind === "actions")).toBe(false);
  });
});

describe("explanationReply", () => {
  it("is a valid reply that reads well in the console", () => {
    const reply = explanationReply(explainText("SchemaMismatchException"));
    expect(replySchema.parse(reply)).toEqual(reply);
    expect(reply.status).toBe("error");
    const text = renderPlainText(reply);
    expect(text).toContain("Mismatched or outdated schema: matched with 100% confidence");
    expect(text).toContain("1. Stop the scanner service on every node of the cluster.");
    expect(text).toContain(`Source: ${schema.source.title}: ${schema.source.url}`);
  });

  it("says plainly when two entries fit and explains both", () => {
    const text = renderPlainText(
      explanationReply(explainText("Policy does not include any automatic labeling condition")),
    );
    expect(text).toContain("fits 2 known errors equally well");
    expect(text).toContain("== Authentication token missing ==");
    expect(text).toContain("== Policy doesn't include automatic labeling conditions ==");
  });

  it("answers 'no known match' with the nearest entries, marked as not a match", () => {
    const reply = explanationReply(explainText("System.Net.WebException: The remote name could not be resolved: 'x'"));
    const text = renderPlainText(reply);
    expect(reply.text).toBe("No known match for that error");
    expect(text).toContain("No known match");
    expect(text).toContain("Closest entries (not a match");
    expect(text).toContain("underlying-connection-was-closed");
  });

  it("warns to rotate pasted secrets and never shows them", () => {
    const reply = explanationReply(explainText("Server=sql01;Password=Hunter2!;Database=x\nDB error"));
    const text = renderPlainText(reply);
    expect(text).not.toContain("Hunter2!");
    expect(text).toMatch(/rotate them/);
    expect(reply.status).toBe("error");
  });

  it("explains the first errors in full and lists the rest in a table", () => {
    const paste = [
      "SchemaMismatchException",
      "No cluster found",
      "No repositories are configured",
      "Policy is missing",
      "DB error",
      "TokenCache is missing",
      "No content scan job found",
    ].join("\n");
    const blocks = explanationBlocks(explainText(paste));
    expect(blocks.filter((b) => b.kind === "heading")).toHaveLength(maxExplainedFindings);
    const table = blocks.find((b) => b.kind === "table");
    expect(table?.kind === "table" && table.rows.map((r) => r.cells[1])).toEqual([
      "token-cache-missing",
      "missing-content-scan-job-or-profile",
    ]);
  });

  it("tells the user what it skipped on huge input", () => {
    const blocks = explanationBlocks(explainText(`DB error\n${"filler text line\n".repeat(70_000)}`));
    expect(blocks.some((b) => b.kind === "text" && b.text.startsWith("Input too long"))).toBe(true);
  });
});

describe("explanationJson", () => {
  it("lists matches best first and keeps nearest entries apart", () => {
    const json = explanationJson(explainText("No cluster found\nEvent ID 3004"));
    expect(explanationJsonSchema.parse(json)).toEqual(json);
    expect(json.matches.map((m) => m.id)).toEqual(["no-cluster-found", "mismatched-or-outdated-schema"]);
    expect(json.nearest).toEqual([]);
    const none = explanationJson(explainText("hello there"));
    expect(none).toMatchObject({ verdict: "no_match", matches: [] });
  });

  it("says which lines of a paste matched nothing, not only how many", () => {
    const paste = [
      "Microsoft.InformationProtection.Scanner.SchemaMismatchException: Database schema is not compatible with the current scanner version",
      "Error: the frobnicator exploded while reticulating splines",
    ].join("\n");
    const text = renderPlainText(explanationReply(explainText(paste)));
    expect(text).toContain(
      "1 other line(s) that look like errors matched nothing I know: “Error: the frobnicator exploded while reticulating splines”.",
    );
  });
});
