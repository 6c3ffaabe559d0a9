import { describe, expect, it } from "vitest";
import { articleSectionIds, entryForEventId, findEntry, knowledgeBase } from "../../src/knowledge/knowledgeBase.js";
import { knowledgeEntrySchema } from "../../src/knowledge/knowledgeEntry.js";

const articleUrl =
  "https://learn.microsoft.com/troubleshoot/microsoft-365/purview/information-protection-scanner/resolve-deployment-issues";

describe("knowledge base", () => {
  it("has one entry per section of the troubleshooting article, linked to that section", () => {
    for (const id of articleSectionIds) {
      const entry = findEntry(id);
      expect(entry, id).toBeDefined();
      expect(entry?.source.url).toBe(`${articleUrl}#${id}`);
    }
    expect(new Set(knowledgeBase.map((e) => e.id)).size).toBe(knowledgeBase.length);
  });

  it("covers further documented errors beyond the article, each linked to official docs", () => {
    const extra = knowledgeBase.filter((e) => !(articleSectionIds as readonly string[]).includes(e.id));
    expect(extra.length).toBeGreaterThanOrEqual(8);
    for (const entry of extra) expect(entry.source.url).toMatch(/^https:\/\/(learn|support)\.microsoft\.com\//);
  });

  it("maps the scanner event ids 3001–3007", () => {
    expect(entryForEventId(3002)?.id).toBe("policy-doesnt-include-automatic-labeling-conditions");
    expect(entryForEventId(3003)?.id).toBe("database-errors");
    expect(entryForEventId(3004)?.id).toBe("mismatched-or-outdated-schema");
    expect(entryForEventId(3005)?.id).toBe("policy-missing");
    expect(entryForEventId(3007)?.id).toBe("missing-content-scan-job-or-profile");
    expect(entryForEventId(3001)?.id).toBe("scanner-unknown-error");
    expect(entryForEventId(3006)?.id).toBe("dlp-policy-missing");
    expect(entryForEventId(1001)).toBeUndefined();
    expect(findEntry("no-such-entry")).toBeUndefined();
  });

  it("gives every entry a meaning, ordered fix steps and only known bot commands", () => {
    const known = /^(diagnose|errors|status)( \{node\})?$/;
    for (const entry of knowledgeBase) {
      expect(entry.fix.length, entry.id).toBeGreaterThan(0);
      for (const command of entry.commands) expect(command, entry.id).toMatch(known);
    }
  });

  it("rejects malformed entries at load", () => {
    const good = findEntry("no-cluster-found");
    expect(knowledgeEntrySchema.safeParse(good).success).toBe(true);
    expect(knowledgeEntrySchema.safeParse({ ...good, id: "No Cluster" }).success).toBe(false);
    expect(knowledgeEntrySchema.safeParse({ ...good, fix: [] }).success).toBe(false);
    const foreign = { ...good, source: { title: "blog", url: "https://example.com/fix" } };
    expect(knowledgeEntrySchema.safeParse(foreign).success).toBe(false);
  });
});
