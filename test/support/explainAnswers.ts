import type { Explanation } from "../../src/knowledge/matcher.js";

/** The entry ids an explanation commits to (matches and ambiguous candidates), sorted. */
export const answered = (e: Explanation): string[] =>
  [
    ...new Set(e.findings.filter((f) => f.verdict !== "possible").flatMap((f) => f.candidates.map((c) => c.entry.id))),
  ].sort();
