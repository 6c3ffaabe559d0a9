import { type RedactedSecret, redactSecrets } from "../foundation/redaction.js";
import { type ErrorSegment, splitSegments } from "./errorSegments.js";
import { binaryShare, cleanInput, stripNoise, tokenize, tokenWeight } from "./errorText.js";
import type { KnowledgeEntry } from "./knowledgeBase.js";
import type { LanguageCode } from "./languages.js";
import { type FoundCause, overlaps, type Scored, type SegmentScores, scoreSegment } from "./segmentScoring.js";
import { signatureIndex } from "./signatureIndex.js";

/** One entry that may explain an error, with how sure we are (0..1) and what matched. */
export interface Candidate {
  entry: KnowledgeEntry;
  confidence: number;
  /** The signature phrase (or event id) that decided it. */
  evidence: string;
  /** The language the error was written in, when it is not English. */
  language?: LanguageCode;
  /** What the matched codes or wordings mean (e.g. an AADSTS code), strongest first. */
  details: string[];
}

/**
 * One distinct error of the paste. `match`: one entry fits. `ambiguous`: several entries fit
 * the same text equally well (all listed). `possible`: the best fit is weak.
 */
export interface Finding {
  verdict: "match" | "ambiguous" | "possible";
  /** Best first. */
  candidates: Candidate[];
  /** The start of the (redacted) text this finding is about. */
  excerpt: string;
  /** How many segments of the paste gave this same finding. */
  occurrences: number;
}

/** What the matcher made of a paste. */
export interface Explanation {
  verdict: "match" | "ambiguous" | "possible" | "no_match" | "empty" | "binary";
  /** One per distinct error, in the order they first appear. */
  findings: Finding[];
  /** With `no_match`: the entries that came closest, best first (never presented as an answer). */
  nearest: Candidate[];
  /** Secrets found and removed from the text before anything else happened. */
  redacted: RedactedSecret[];
  /** The analysed text, redacted: the only form of the input that may be echoed. */
  text: string;
  /** How much input was left unanalysed because of the size limits (0 when none). */
  limits: { droppedChars: number; droppedSegments: number };
  /** Segments that looked like errors but matched nothing, when other segments did match. */
  unmatchedSegments: number;
  /** The start of the first few of those segments, so the reply can say which lines they were. */
  unmatchedExcerpts: string[];
  /** Languages other than English the paste was recognised in, in order of appearance. */
  languages: LanguageCode[];
  /**
   * Known causes outside the knowledge base that explain segments nothing else matched: the inner
   * error of a look-alike ("Unable to connect…" caused by a refused connection, not port exhaustion).
   */
  otherCauses: FoundCause[];
}

/** At most this many characters are analysed; the rest is reported as dropped. */
export const maxAnalysedChars = 64 * 1024;
/** At most this many distinct segments (log records / exception chains) are analysed. */
export const maxSegments = 200;

/** A candidate at or above this confidence is a match. */
export const matchThreshold = 0.6;
/** Between this and the match threshold: a possible match, said with low confidence. */
export const possibleThreshold = 0.35;
/** Candidates closer than this to the best one, on the same text, make the answer ambiguous. */
const ambiguityMargin = 0.1;

function toCandidate(s: Scored): Candidate {
  return {
    entry: s.entry,
    confidence: Math.round(s.score * 100) / 100,
    evidence: s.best.evidence,
    details: s.details,
    ...(s.language ? { language: s.language } : {}),
  };
}

/** The start of a segment's text, flattened, for the reply. */
const excerptOf = (text: string) => {
  const flat = text.replace(/\s+/g, " ").trim();
  return flat.length > 160 ? `${flat.slice(0, 157)}…` : flat;
};

/** Turns the scores of one segment into findings: one per group of candidates matching the same text. */
function findingsOfSegment(scored: Scored[], segmentText: string): Finding[] {
  const strong = scored.filter((s) => s.score >= matchThreshold);
  if (strong.length === 0) {
    const top = scored[0];
    if (!top || top.score < possibleThreshold) return [];
    const excerpt = excerptOf(segmentText);
    const close = scored.filter((s) => s.score >= possibleThreshold && top.score - s.score < ambiguityMargin);
    return [
      {
        verdict: close.length > 1 ? "ambiguous" : "possible",
        candidates: close.map(toCandidate),
        excerpt,
        occurrences: 1,
      },
    ];
  }
  const excerpt = excerptOf(segmentText);
  const findings: Finding[] = [];
  const used = new Set<Scored>();
  for (const lead of strong) {
    if (used.has(lead)) continue;
    const group = strong.filter(
      (s) => !used.has(s) && (s === lead || (overlaps(s.best, lead.best) && lead.score - s.score < ambiguityMargin)),
    );
    // Weaker candidates on the same text are not separate errors; they are simply beaten.
    for (const s of strong) if (overlaps(s.best, lead.best)) used.add(s);
    for (const s of group) used.add(s);
    findings.push({
      verdict: group.length > 1 ? "ambiguous" : "match",
      candidates: group.map(toCandidate),
      excerpt,
      occurrences: 1,
    });
  }
  return findings;
}

/**
 * A weak match gains a little when another line of the same paste supports the same entry with
 * different words (e.g. `pwsh` on the line before "Object reference not set…"). Repeats of the
 * same words are not independent evidence and do not count.
 */
function corroborateAcrossSegments(scoredSegments: Scored[][]): void {
  const support = new Map<string, { segment: number; evidence: string }[]>();
  scoredSegments.forEach((scored, segment) => {
    for (const s of scored) {
      if (s.score < 0.25) continue;
      const list = support.get(s.entry.id) ?? [];
      list.push({ segment, evidence: s.best.evidence });
      support.set(s.entry.id, list);
    }
  });
  scoredSegments.forEach((scored, segment) => {
    for (const s of scored) {
      if (s.score >= matchThreshold || s.score < possibleThreshold) continue;
      const others = support.get(s.entry.id) ?? [];
      if (others.some((o) => o.segment !== segment && o.evidence !== s.best.evidence))
        s.score = Math.min(1, s.score + 0.1);
    }
    scored.sort((x, y) => y.score - x.score);
  });
}

/** Below this, a non-decisive finding rests on generic wording ("Unable to connect to the remote server" alone). */
const specificScore = 0.95;

/**
 * A known other cause on one line of a paste (a DNS failure, a refused connection, an untrusted certificate)
 * also explains another line's bare generic wording of an entry it shadows: a tool that prints "Unable to connect
 * to the remote server" and "The remote name could not be resolved" as separate messages has one DNS problem,
 * not the article's port exhaustion. Specific evidence (the 10048 wording, a TLS inner error) still counts.
 */
function shadowAcrossSegments(segmentScores: readonly SegmentScores[]): Scored[][] {
  const shadowedIn = new Map<string, Set<number>>();
  segmentScores.forEach((scores, segment) => {
    for (const found of scores.causes) {
      for (const id of found.cause.shadows) shadowedIn.set(id, (shadowedIn.get(id) ?? new Set()).add(segment));
    }
  });
  return segmentScores.map((scores, segment) =>
    scores.scored.filter((s) => {
      const from = shadowedIn.get(s.entry.id);
      const elsewhere = from !== undefined && [...from].some((other) => other !== segment);
      return !elsewhere || s.best.decisive || s.score >= specificScore;
    }),
  );
}

/** When another line of the same paste clearly names one of an ambiguous finding's entries, that entry wins. */
function resolveWithContext(findings: Finding[]): Finding[] {
  const clear = new Set(findings.filter((f) => f.verdict === "match").map((f) => f.candidates[0]?.entry.id));
  return findings.map((f) => {
    if (f.verdict !== "ambiguous") return f;
    const known = f.candidates.filter((c) => clear.has(c.entry.id));
    return known.length === 1 ? { ...f, verdict: "match", candidates: known } : f;
  });
}

/** Merges findings that name the same entries, keeping the first excerpt and counting repeats. */
function dedupe(findings: Finding[]): Finding[] {
  const byKey = new Map<string, Finding>();
  for (const f of findings) {
    const key = `${f.verdict}:${f.candidates.map((c) => c.entry.id).join(",")}`;
    const existing = byKey.get(key);
    if (!existing) {
      byKey.set(key, { ...f });
      continue;
    }
    existing.occurrences += f.occurrences;
    existing.candidates = existing.candidates.map((c) => {
      const other = f.candidates.find((o) => o.entry.id === c.entry.id);
      return other && other.confidence > c.confidence ? other : c;
    });
  }
  // A clear match makes weaker findings about the same entry redundant.
  const matched = new Set(
    [...byKey.values()].filter((f) => f.verdict === "match").map((f) => f.candidates[0]?.entry.id),
  );
  return [...byKey.values()].filter(
    (f) => f.verdict === "match" || !f.candidates.every((c) => matched.has(c.entry.id)),
  );
}

/** Entries whose vocabulary shares the most telling words with the input: the "did you mean" list. */
function nearestEntries(tokens: string[], scores: Map<string, number>): Candidate[] {
  const words = new Set(tokens.filter((t) => tokenWeight(t) === 1));
  return signatureIndex()
    .compiled.map(({ entry, vocabulary }) => {
      let shared = 0;
      for (const w of words) if (vocabulary.has(w)) shared++;
      const overlap = words.size === 0 ? 0 : shared / Math.max(3, Math.min(words.size, vocabulary.size));
      const score = Math.max(scores.get(entry.id) ?? 0, Math.min(0.3, overlap * 0.3));
      return { entry, confidence: Math.round(score * 100) / 100, evidence: "shared words", details: [] };
    })
    .filter((c) => c.confidence > 0.05)
    .sort((a, b) => b.confidence - a.confidence)
    .slice(0, 3);
}

const looksLikeError = /error|exception|fail|denied|unable|cannot|could not|not found|missing/i;

// A log line's timestamp and thread number: the same message logged again differs only there.
const recordStamp = /^[\d\s\-/:.,TZ[\]]+/;

/**
 * Scores each distinct segment once: a scanner log repeats the same line with only its timestamp
 * changed, and scoring is the expensive part. Repeats get their own copies of the scores, which
 * the cross-segment steps adjust per segment.
 */
function scoreSegmentsOnce(segments: ErrorSegment[], paste: string): SegmentScores[] {
  const seen = new Map<string, SegmentScores>();
  return segments.map((segment) => {
    const key = `${segment.eventIds.join(",")}|${segment.text.replace(recordStamp, "")}`;
    const known = seen.get(key);
    if (known) return { scored: known.scored.map((s) => ({ ...s })), causes: known.causes };
    const scores = scoreSegment(segment, paste);
    seen.set(key, { scored: scores.scored.map((s) => ({ ...s })), causes: scores.causes });
    return scores;
  });
}

/** Languages in order of first appearance, from the findings and then the other causes. */
function languagesOf(findings: Finding[], causes: FoundCause[]): LanguageCode[] {
  const seen = [
    ...findings.flatMap((f) => f.candidates.flatMap((c) => (c.language ? [c.language] : []))),
    ...causes.flatMap((c) => (c.language ? [c.language] : [])),
  ];
  return [...new Set(seen)];
}

function overallVerdict(findings: Finding[]): Explanation["verdict"] {
  if (findings.some((f) => f.verdict === "match")) return "match";
  if (findings.some((f) => f.verdict === "ambiguous")) return "ambiguous";
  return findings.length > 0 ? "possible" : "no_match";
}

/**
 * Explains pasted scanner error text: redacts secrets, splits the paste into distinct errors,
 * and matches each against the knowledge base. Never throws; any string is acceptable input.
 */
export function explainText(input: string): Explanation {
  const raw = typeof input === "string" ? input : "";
  const droppedChars = Math.max(0, raw.length - maxAnalysedChars);
  const { text, found } = redactSecrets(cleanInput(raw.slice(0, maxAnalysedChars)));
  const base = {
    findings: [],
    nearest: [],
    redacted: found,
    text,
    unmatchedSegments: 0,
    unmatchedExcerpts: [],
    languages: [],
    otherCauses: [],
  };
  if (binaryShare(raw.slice(0, 4096)) > 0.1) {
    return { ...base, verdict: "binary", limits: { droppedChars, droppedSegments: 0 } };
  }
  const { segments, skipped } = splitSegments(text, maxSegments);
  const limits = { droppedChars, droppedSegments: skipped };
  if (tokenize(text.slice(0, 1000)).length === 0 && segments.length === 0) return { ...base, verdict: "empty", limits };

  const findings: Finding[] = [];
  const bestScores = new Map<string, number>();
  const causes = new Map<string, FoundCause>();
  let unmatched = 0;
  const unmatchedExcerpts: string[] = [];
  const segmentScores = scoreSegmentsOnce(segments, text.toLowerCase());
  const scoredSegments = shadowAcrossSegments(segmentScores);
  corroborateAcrossSegments(scoredSegments);
  segments.forEach((segment, i) => {
    const scored = scoredSegments[i] ?? [];
    for (const s of scored) bestScores.set(s.entry.id, Math.max(bestScores.get(s.entry.id) ?? 0, s.score));
    const own = findingsOfSegment(scored, segment.text);
    const ownCauses = own.length === 0 ? (segmentScores[i]?.causes ?? []) : [];
    for (const c of ownCauses) if (!causes.has(c.cause.id)) causes.set(c.cause.id, c);
    if (own.length === 0 && ownCauses.length === 0 && looksLikeError.test(segment.text)) {
      unmatched++;
      if (unmatchedExcerpts.length < 3) unmatchedExcerpts.push(excerptOf(segment.text));
    }
    findings.push(...own);
  });
  const merged = dedupe(resolveWithContext(findings));
  const verdict = overallVerdict(merged);
  return {
    ...base,
    verdict,
    findings: merged,
    nearest: verdict === "no_match" ? nearestEntries(tokenize(stripNoise(text.slice(0, 8192))), bestScores) : [],
    limits,
    unmatchedSegments: merged.length > 0 ? unmatched : 0,
    unmatchedExcerpts: merged.length > 0 ? unmatchedExcerpts : [],
    languages: languagesOf(merged, [...causes.values()]),
    otherCauses: [...causes.values()],
  };
}
