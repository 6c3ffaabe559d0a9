import type { ErrorSegment } from "./errorSegments.js";
import { isTypeName, shortTypeName, splitTypeNames, stripNoise, tokenize, tokenWeight } from "./errorText.js";
import { entryForEventId, type KnowledgeEntry, knowledgeBase } from "./knowledgeBase.js";
import { type CompiledPhrase, compilePhrase, type IndexedTokens, indexTokens, matchPhrase } from "./phraseMatch.js";

/**
 * Scoring one error segment against every knowledge-base entry: which signatures hit where,
 * how the exception chain weighs them, and how much each entry is worth on that segment.
 */

/** At most this many tokens of one chain level are compared (a level longer than that is noise). */
const maxLevelTokens = 3000;
/** Chains longer than this keep their outermost and innermost levels; the middle rarely decides. */
const maxLevels = 24;

interface CompiledSignature extends CompiledPhrase {
  weight: number;
  decisive: boolean;
  /** Written as a signature (its weight was chosen), rather than derived from a message or the title. */
  explicit: boolean;
}

/** A signature that is an exception type name: matched against the types of a level, not its words. */
interface TypeSignature {
  /** As written in the knowledge base, for evidence. */
  display: string;
  full: string;
  short: string;
  weight: number;
  decisive: boolean;
}

/** An entry with its signatures prepared for matching. */
export interface CompiledEntry {
  entry: KnowledgeEntry;
  signatures: CompiledSignature[];
  types: TypeSignature[];
  vocabulary: Set<string>;
}

/** One level of an exception chain, ready to match: its message words and its type names. */
interface PreparedLevel {
  words: IndexedTokens;
  types: string[];
}

/** Offset that keeps type-name positions apart from word positions when comparing spans. */
const typeSpanOffset = 1_000_000;

/** Every entry, compiled once at load. */
export const compiled: CompiledEntry[] = knowledgeBase.map((entry) => {
  const seen = new Set<string>();
  const signatures: CompiledSignature[] = [];
  const types: TypeSignature[] = [];
  const add = (phrase: string, weight: number, decisive: boolean, explicit = false) => {
    if (isTypeName(phrase)) {
      types.push({ display: phrase, full: phrase.toLowerCase(), short: shortTypeName(phrase), weight, decisive });
      return;
    }
    const key = tokenize(phrase).join(" ");
    if (key.length === 0 || seen.has(key)) return;
    seen.add(key);
    signatures.push({ ...compilePhrase(phrase), weight, decisive, explicit });
  };
  for (const s of entry.signatures) add(s.phrase, s.weight, s.decisive, true);
  // Documented messages and the title identify the entry too, unless a signature already says how much.
  for (const message of entry.matchMessages ? entry.messages : []) {
    for (const part of message.split(/\s*--->\s*/)) add(stripNoise(splitTypeNames(part).message), 0.9, false);
  }
  add(entry.title, 0.7, false);
  // A type named in exceptionTypes alone only corroborates: many different errors share it.
  for (const type of entry.exceptionTypes) add(type, 0.3, false);
  const vocabulary = new Set(signatures.flatMap((s) => s.tokens).filter((t) => tokenWeight(t) === 1));
  for (const t of types) for (const word of tokenize(t.short)) if (tokenWeight(word) === 1) vocabulary.add(word);
  return { entry, signatures, types, vocabulary };
});

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
}

/** The best hit of each signature of `entry` in one chain level. */
function hitsInLevel(entry: CompiledEntry, level: PreparedLevel, levelIndex: number): Hit[] {
  const hits: Hit[] = [];
  for (const signature of entry.types) {
    const at = level.types.findIndex((t) => t === signature.full || shortTypeName(t) === signature.short);
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
  for (const signature of entry.signatures) {
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
}

// Wrapper levels say nothing about the cause ("One or more errors occurred", "See the inner exception").
const wrapperLevel =
  /^\W*(?:[\w.]+(?:Exception|Error)\s*:?)?\s*(?:one or more errors occurred|see the inner exception|failed with:?)?[\s.:]*$/i;

/** Scores every entry against one segment; entries that do not match at all are left out. */
export function scoreSegment(segment: ErrorSegment): Scored[] {
  const kept =
    segment.levels.length > maxLevels
      ? [...segment.levels.slice(0, maxLevels / 4), ...segment.levels.slice(-(maxLevels * 3) / 4)]
      : segment.levels;
  const levels: PreparedLevel[] = kept.map((level) => {
    const { types, message } = splitTypeNames(stripNoise(level));
    return { words: indexTokens(tokenize(message).slice(0, maxLevelTokens)), types };
  });
  const innermost = kept.findLastIndex((level) => !wrapperLevel.test(level.trim()));
  const innermostTokens = innermost >= 0 ? levels[innermost]?.words.tokens : undefined;
  const innerHasCause =
    levels.length > 1 &&
    innermostTokens !== undefined &&
    innermostTokens.filter((t) => tokenWeight(t) === 1).length >= 2;

  const scored: Scored[] = [];
  for (const entry of compiled) {
    const hits = levels.flatMap((level, i) => hitsInLevel(entry, level, i));
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
    scored.push({ entry: entry.entry, score: Math.min(1, best.score + corroboration), best });
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
  return scored.sort((x, y) => y.score - x.score);
}
