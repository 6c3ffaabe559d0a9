import type { ErrorSegment } from "./errorSegments.js";
import { normalizeLevel, shortTypeName, splitTypeNames, stripNoise, tokenize, tokenWeight } from "./errorText.js";
import { entryForEventId, type KnowledgeEntry } from "./knowledgeBase.js";
import type { LanguageCode } from "./languages.js";
import type { OtherCause } from "./otherCauses.js";
import { type IndexedTokens, indexTokens, matchPhrase } from "./phraseMatch.js";
import { type CompiledEntry, signatureIndex } from "./signatureIndex.js";

/**
 * Scoring one error segment against every knowledge-base entry: which signatures hit where,
 * how the exception chain weighs them, and how much each entry is worth on that segment.
 */

/** At most this many tokens of one chain level are compared (a level longer than that is noise). */
const maxLevelTokens = 3000;
/** Chains longer than this keep their outermost and innermost levels; the middle rarely decides. */
const maxLevels = 24;

/** One level of an exception chain, ready to match: its message words and its type names. */
interface PreparedLevel {
  words: IndexedTokens;
  types: string[];
  /** The last part of each type name, in the same order. */
  typeShorts: string[];
  /** Candidate signatures per entry index (see signatureIndex.ts). */
  candidates: Map<number, number[]>;
}

/** Offset that keeps type-name positions apart from word positions when comparing spans. */
const typeSpanOffset = 1_000_000;

/** Where one signature matched in a segment and what it is worth. */
export interface Hit {
  score: number;
  evidence: string;
  decisive: boolean;
  /** Matched only an exception type name, not the message. */
  typeOnly: boolean;
  /** A whole explicit signature: its weight overrides derived phrases on the same words. */
  wholeExplicit: boolean;
  level: number;
  start: number;
  end: number;
  /** The language of the wording that matched, when it is not English. */
  lang?: LanguageCode;
  /** What this wording or code means, when the knowledge base says. */
  detail?: string;
}

/** Does the paste (lower-cased) contain one of the words a context-bound signature needs? */
const contextHolds = (onlyWith: readonly string[] | undefined, paste: string) =>
  onlyWith === undefined || onlyWith.some((word) => paste.includes(word));

/** The best hit of each candidate signature of `entry` in one chain level. */
function hitsInLevel(
  entry: CompiledEntry,
  entryIndexNumber: number,
  level: PreparedLevel,
  levelIndex: number,
  paste: string,
): Hit[] {
  const hits: Hit[] = [];
  if (level.types.length > 0) {
    for (const signature of entry.types) {
      const at = level.types.findIndex((t, i) => t === signature.full || level.typeShorts[i] === signature.short);
      const type = level.types[at];
      if (type === undefined) continue;
      // A full name pasted as a short one is still that type; a short one may be another namespace's.
      const strength = type === signature.full || !signature.full.includes(".") ? 1 : 0.9;
      hits.push({
        score: strength * signature.weight,
        evidence: signature.display,
        decisive: signature.decisive,
        typeOnly: true,
        wholeExplicit: false,
        level: levelIndex,
        start: typeSpanOffset + at,
        end: typeSpanOffset + at + 1,
      });
    }
  }
  for (const index of level.candidates.get(entryIndexNumber) ?? []) {
    const signature = entry.signatures[index];
    if (!signature || !contextHolds(signature.onlyWith, paste)) continue;
    const hit = matchPhrase(signature, level.words);
    if (!hit) continue;
    hits.push({
      score: hit.strength * signature.weight,
      evidence: signature.phrase,
      decisive: signature.decisive,
      typeOnly: false,
      wholeExplicit: signature.explicit && hit.strength === 1,
      level: levelIndex,
      start: hit.start,
      end: hit.end,
      ...(signature.lang ? { lang: signature.lang } : {}),
      ...(signature.detail ? { detail: signature.detail } : {}),
    });
  }
  // Where an explicit signature matched whole, its chosen weight is the say on those words: a
  // longer documented message that merely contains them must not outbid it.
  const explicit = hits.filter((h) => h.wholeExplicit);
  return hits.filter(
    (h) => h.wholeExplicit || h.typeOnly || !explicit.some((e) => e.start <= h.start && h.end <= e.end),
  );
}

/** Do two hits rest on the same words of the same chain level? */
export const overlaps = (a: Hit, b: Hit) => a.level === b.level && a.start < b.end && b.start < a.end;

/** An entry's score on one segment and the hit that carried it. */
export interface Scored {
  entry: KnowledgeEntry;
  score: number;
  best: Hit;
  /** The language the entry was recognised in, when not English. */
  language?: LanguageCode;
  /** What the strongest matched code or wording means, when the knowledge base explains it. */
  details: string[];
}

/** A known other cause found in a segment. */
export interface FoundCause {
  cause: OtherCause;
  evidence: string;
  language?: LanguageCode;
  /** The chain level it was found at (0 = outermost). */
  level: number;
}

/** What one segment gave: the scored entries, best first, and the other causes it names. */
export interface SegmentScores {
  scored: Scored[];
  causes: FoundCause[];
}

// Wrapper levels say nothing about the cause ("One or more errors occurred", "See the inner exception").
const wrapperLevel =
  /^\W*(?:[\w.]+(?:Exception|Error)\s*:?)?\s*(?:one or more errors occurred|see the inner exception|failed with:?)?[\s.:]*$/i;

/** Inside a shadowing cause, only an entry's own telling wording counts (a TLS failure, not a bare reset). */
const nestedEvidence = 0.85;

/** A cause counts only on a clear match: the same bar as an entry. */
const causeThreshold = 0.6;

/** The other causes named anywhere in the segment. */
function causesIn(levels: PreparedLevel[]): FoundCause[] {
  const found: FoundCause[] = [];
  const { causeIndex, compiledCauses } = signatureIndex();
  levels.forEach(({ words }, level) => {
    for (const [owner, indexes] of causeIndex.candidates(words)) {
      const compiledCause = compiledCauses[owner];
      if (!compiledCause || found.some((f) => f.cause === compiledCause.cause)) continue;
      for (const index of indexes) {
        const signature = compiledCause.signatures[index];
        const hit = signature && matchPhrase(signature, words);
        if (!signature || !hit || hit.strength * signature.weight < causeThreshold) continue;
        // A cause needs most of its wording: the tail "…SSL/TLS secure channel" is shared with
        // the TLS case's own "Could not create SSL/TLS secure channel".
        if ((hit.end - hit.start) / signature.tokens.length < 0.6) continue;
        // Nor does a fragment the text contradicts: "… occurred on a send" is not "… occurred on a receive".
        if (hit.diverges) continue;
        found.push({
          cause: compiledCause.cause,
          evidence: signature.phrase,
          level,
          ...(signature.lang ? { language: signature.lang } : {}),
        });
        break;
      }
    }
  });
  return found;
}

/** Prepares the kept levels of a chain: normalised words and type names, and candidate signatures. */
function prepareLevels(kept: string[]): PreparedLevel[] {
  const { entryIndex } = signatureIndex();
  return kept.map((level) => {
    const { types, message } = splitTypeNames(stripNoise(normalizeLevel(level)));
    const words = indexTokens(tokenize(message).slice(0, maxLevelTokens));
    return { words, types, typeShorts: types.map(shortTypeName), candidates: entryIndex.candidates(words) };
  });
}

/** The telling weight of a level's words: CJK characters count 0.4 each, filler words nothing. */
function tellingWeight(tokens: readonly string[]): number {
  let sum = 0;
  for (const t of tokens) {
    const w = tokenWeight(t);
    if (w > 0.2) sum += w;
  }
  return sum;
}

/**
 * Scores every entry against one segment; entries that do not match at all are left out. `paste` is the
 * whole paste, lower-cased, for signatures that count only in the right company.
 */
export function scoreSegment(segment: ErrorSegment, paste: string): SegmentScores {
  const { compiled, entriesByTypeName } = signatureIndex();
  const kept =
    segment.levels.length > maxLevels
      ? [...segment.levels.slice(0, maxLevels / 4), ...segment.levels.slice(-(maxLevels * 3) / 4)]
      : segment.levels;
  const levels = prepareLevels(kept);
  const causes = causesIn(levels);
  // Per shadowed entry, the innermost level a cause imitating it was found at.
  const shadowedTo = new Map<string, number>();
  for (const c of causes) {
    for (const id of c.cause.shadows) shadowedTo.set(id, Math.max(shadowedTo.get(id) ?? -1, c.level));
  }
  const innermost = kept.findLastIndex((level) => !wrapperLevel.test(level.trim()));
  const innermostTokens = innermost >= 0 ? levels[innermost]?.words.tokens : undefined;
  const innerHasCause = levels.length > 1 && innermostTokens !== undefined && tellingWeight(innermostTokens) >= 2;

  // Only entries some level can hit: by a candidate signature, a type name or an event id.
  const touched = new Set<number>();
  for (const level of levels) {
    for (const e of level.candidates.keys()) touched.add(e);
    for (const short of level.typeShorts) for (const e of entriesByTypeName.get(short) ?? []) touched.add(e);
  }
  for (const eventId of segment.eventIds) {
    const owner = entryForEventId(eventId);
    const e = owner ? compiled.findIndex((c) => c.entry === owner) : -1;
    if (e >= 0) touched.add(e);
  }

  const scored: Scored[] = [];
  for (const entryNumber of [...touched].sort((a, b) => a - b)) {
    const entry = compiled[entryNumber];
    if (!entry) continue;
    let hits = levels.flatMap((level, i) => hitsInLevel(entry, entryNumber, level, i, paste));
    for (const eventId of segment.eventIds) {
      if (entryForEventId(eventId) === entry.entry) {
        hits.push({
          score: 0.95,
          evidence: `event id ${eventId}`,
          decisive: true,
          typeOnly: false,
          wholeExplicit: true,
          level: -1,
          start: eventId,
          end: eventId + 1,
        });
      }
    }
    // Another known cause in the chain: this entry's generic wording is only its wrapper. Evidence nested
    // inside that cause still counts: "closed … on a receive ---> … no common algorithm" is a TLS failure.
    const causeLevel = shadowedTo.get(entry.entry.id);
    if (causeLevel !== undefined)
      hits = hits.filter((h) => h.decisive || (h.level > causeLevel && h.wholeExplicit && h.score >= nestedEvidence));
    if (hits.length === 0) continue;
    // The innermost cause decides: when it is something this entry does not recognise, the entry's
    // generic matches on the outer wrappers (e.g. a WebException whose cause is DNS) count for little.
    const explainsCause = hits.some((h) => h.level === innermost && !h.typeOnly && h.score >= 0.3);
    for (const hit of hits) {
      if (innerHasCause && !explainsCause && !hit.decisive && hit.level >= 0 && hit.level !== innermost)
        hit.score *= 0.4;
    }
    hits.sort((a, b) => b.score - a.score);
    const [best] = hits;
    if (!best) continue;
    // Only independent evidence (another part of the text) corroborates; the title re-matching
    // the same words does not.
    const second = hits.find((h) => h !== best && !overlaps(h, best));
    const corroboration = second ? 0.1 * Math.min(1, second.score / 0.5) : 0;
    const language = best.lang ?? hits.find((h) => h.lang && h.score >= 0.3)?.lang;
    // The strongest explained wording speaks for the segment: an AADSTS code and the library's
    // sentence around it say the same thing twice.
    const explained = hits.find((h) => h.detail !== undefined)?.detail;
    const details = explained ? [explained] : [];
    scored.push({
      entry: entry.entry,
      score: Math.min(1, best.score + corroboration),
      best,
      details,
      ...(language ? { language } : {}),
    });
  }
  // A phrase inside a longer matched phrase of another entry ("Policy is missing" inside
  // "Policy is missing labeling conditions") is not evidence for its own entry.
  for (const a of scored) {
    for (const b of scored) {
      const inside =
        a !== b &&
        a.best.level === b.best.level &&
        a.best.level >= 0 &&
        b.best.start <= a.best.start &&
        a.best.end <= b.best.end &&
        b.best.end - b.best.start > a.best.end - a.best.start;
      if (inside) a.score *= 0.5;
    }
  }
  return { scored: scored.sort((x, y) => y.score - x.score), causes };
}
