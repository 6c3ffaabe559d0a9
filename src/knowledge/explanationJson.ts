import { z } from "zod";
import { languageCodeSchema, languageName, localizedUrl } from "./languages.js";
import type { Explanation } from "./matcher.js";

const matchSchema = z.object({
  id: z.string(),
  title: z.string(),
  confidence: z.number().min(0).max(1),
  /** `match`: sure; `ambiguous`: ties with the other candidates of the same finding; `possible`: weak. */
  verdict: z.enum(["match", "ambiguous", "possible"]),
  /** Which distinct error of the input (0-based, input order) this candidate explains. */
  finding: z.number().int().nonnegative(),
  evidence: z.string(),
  occurrences: z.number().int().positive(),
  source: z.string(),
  /** The language the error was recognised in (null: English or language-neutral). */
  language: languageCodeSchema.nullable(),
  /** The source article in that language, when a language was recognised. */
  localizedSource: z.string().nullable(),
  /** What the matched codes or wordings mean (e.g. an AADSTS code), strongest first. */
  details: z.array(z.string()),
});

const languageSchema = z.object({ code: languageCodeSchema, name: z.string() });

/** The machine-readable form of an explanation (`scanner-bot explain --json`). */
export const explanationJsonSchema = z.object({
  verdict: z.enum(["match", "ambiguous", "possible", "no_match", "empty", "binary"]),
  /** Every candidate of every finding, best first; empty when nothing matched. */
  matches: z.array(matchSchema),
  /** With `no_match` only: the closest entries, which are NOT matches. */
  nearest: z.array(z.object({ id: z.string(), title: z.string(), confidence: z.number() })),
  redacted: z.array(z.object({ kind: z.string() })),
  /** Languages other than English recognised in the input, in order of appearance. */
  languages: z.array(languageSchema),
  /** Known causes outside the knowledge base (look-alikes), explained briefly; never matches. */
  otherCauses: z.array(
    z.object({
      id: z.string(),
      title: z.string(),
      meaning: z.string(),
      source: z.string(),
      language: languageCodeSchema.nullable(),
    }),
  ),
  limits: z.object({ droppedChars: z.number().int(), droppedSegments: z.number().int() }),
});
export type ExplanationJson = z.infer<typeof explanationJsonSchema>;

/** Converts an explanation to its JSON form (ids, titles and confidences; no echoed input). */
export function explanationJson(explanation: Explanation): ExplanationJson {
  const matches = explanation.findings
    .flatMap((finding, index) =>
      finding.candidates.map((c) => ({
        id: c.entry.id,
        title: c.entry.title,
        confidence: c.confidence,
        verdict: finding.verdict,
        finding: index,
        evidence: c.evidence,
        occurrences: finding.occurrences,
        source: c.entry.source.url,
        language: c.language ?? null,
        localizedSource: c.language ? localizedUrl(c.entry.source.url, c.language) : null,
        details: c.details,
      })),
    )
    .sort((a, b) => b.confidence - a.confidence || a.finding - b.finding);
  return explanationJsonSchema.parse({
    verdict: explanation.verdict,
    matches,
    nearest: explanation.nearest.map((c) => ({ id: c.entry.id, title: c.entry.title, confidence: c.confidence })),
    redacted: explanation.redacted,
    languages: explanation.languages.map((code) => ({ code, name: languageName(code) })),
    otherCauses: explanation.otherCauses.map((c) => ({
      id: c.cause.id,
      title: c.cause.title,
      meaning: c.cause.meaning,
      source: c.cause.source.url,
      language: c.language ?? null,
    })),
    limits: explanation.limits,
  });
}
