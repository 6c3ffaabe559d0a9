import { isTypeName, shortTypeName, splitTypeNames, stripNoise, tokenize, tokenWeight } from "./errorText.js";
import { type KnowledgeEntry, knowledgeBase } from "./knowledgeBase.js";
import type { LanguageCode } from "./languages.js";
import { type OtherCause, otherCauses } from "./otherCauses.js";
import { type CompiledPhrase, compilePhrase, type IndexedTokens } from "./phraseMatch.js";

/**
 * Every signature of the knowledge base (and of the known other causes) compiled once at load,
 * with an index from telling token to the signatures that contain it. A chain level is then
 * compared only with the signatures that share at least one telling token with it, instead of
 * with all of them: with eleven languages that is the difference between a few hundred phrase
 * comparisons per line and a handful.
 */

/** A signature prepared for matching. */
export interface CompiledSignature extends CompiledPhrase {
  weight: number;
  decisive: boolean;
  /** Written as a signature (its weight was chosen), rather than derived from a message or the title. */
  explicit: boolean;
  lang?: LanguageCode;
  detail?: string;
  /** Lower-cased: the paste must contain one of these for the signature to count. */
  onlyWith?: string[];
}

/** A signature that is an exception type name: matched against the types of a level, not its words. */
export interface TypeSignature {
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

/** A known other cause with its signatures prepared for matching. */
export interface CompiledCause {
  cause: OtherCause;
  signatures: CompiledSignature[];
}

/** Collects an entry's (or cause's) signatures, dropping repeats of the same words. */
class SignatureCollector {
  readonly signatures: CompiledSignature[] = [];
  readonly types: TypeSignature[] = [];
  private readonly seen = new Set<string>();

  add(phrase: string, weight: number, decisive: boolean, explicit = false, extra: Partial<CompiledSignature> = {}) {
    if (isTypeName(phrase)) {
      this.types.push({ display: phrase, full: phrase.toLowerCase(), short: shortTypeName(phrase), weight, decisive });
      return;
    }
    const compiledPhrase = compilePhrase(phrase);
    const key = compiledPhrase.tokens.join(" ");
    if (key.length === 0 || this.seen.has(key)) return;
    this.seen.add(key);
    this.signatures.push({ ...compiledPhrase, weight, decisive, explicit, ...extra });
  }
}

function compileEntry(entry: KnowledgeEntry): CompiledEntry {
  const collector = new SignatureCollector();
  for (const s of entry.signatures) {
    collector.add(s.phrase, s.weight, s.decisive, true, {
      ...(s.lang ? { lang: s.lang } : {}),
      ...(s.detail ? { detail: s.detail } : {}),
      ...(s.onlyWith ? { onlyWith: s.onlyWith.map((w) => w.toLowerCase()) } : {}),
    });
  }
  // Documented messages and the title identify the entry too, unless a signature already says how much.
  for (const message of entry.matchMessages ? entry.messages : []) {
    for (const part of message.split(/\s*--->\s*/)) collector.add(stripNoise(splitTypeNames(part).message), 0.9, false);
  }
  collector.add(entry.title, 0.7, false);
  // A type named in exceptionTypes alone only corroborates: many different errors share it.
  for (const type of entry.exceptionTypes) collector.add(type, 0.3, false);
  const { signatures, types } = collector;
  const vocabulary = new Set(signatures.flatMap((s) => s.tokens).filter((t) => tokenWeight(t) === 1));
  for (const t of types) for (const word of tokenize(t.short)) if (tokenWeight(word) === 1) vocabulary.add(word);
  return { entry, signatures, types, vocabulary };
}

function compileCause(cause: OtherCause): CompiledCause {
  const collector = new SignatureCollector();
  for (const s of cause.signatures) {
    collector.add(s.phrase, s.weight, false, true, s.lang ? { lang: s.lang } : {});
  }
  return { cause, signatures: collector.signatures };
}

/**
 * How many distinct telling tokens of a signature must be present before it can match at all:
 * a whole match needs every one, and a fragment needs at least 1.8 of telling weight (two words,
 * or five Chinese/Japanese characters), so fewer present tokens cannot produce a hit.
 */
function tokensNeeded(telling: Set<string>): number {
  let total = 0;
  for (const t of telling) total += tokenWeight(t);
  if (total < 1.8) return telling.size;
  const heaviest = Math.max(...[...telling].map(tokenWeight));
  return Math.min(telling.size, Math.ceil(1.8 / heaviest - 1e-9));
}

/** An inverted index over a list of signature owners (entries, or other causes). */
class TokenIndex {
  /** Global signature number → its owner and its place in the owner's list, in owner order. */
  private readonly owners: number[] = [];
  private readonly positions: number[] = [];
  private readonly needed: number[] = [];
  private readonly byToken = new Map<string, number[]>();
  /** Signatures made only of filler words: too rare to index, always compared. */
  private readonly unindexed: number[] = [];
  private readonly counts: Uint16Array;
  /** Scratch list of the signatures one call touched (calls never overlap: matching is synchronous). */
  private readonly touched: number[] = [];

  constructor(owners: readonly { signatures: CompiledSignature[] }[]) {
    owners.forEach((owner, o) => {
      owner.signatures.forEach((signature, s) => {
        const id = this.owners.length;
        this.owners.push(o);
        this.positions.push(s);
        const telling = new Set(signature.tokens.filter((t) => tokenWeight(t) > 0.2));
        this.needed.push(tokensNeeded(telling));
        if (telling.size === 0) this.unindexed.push(id);
        for (const token of telling) {
          const list = this.byToken.get(token);
          if (list) list.push(id);
          else this.byToken.set(token, [id]);
        }
      });
    });
    this.counts = new Uint16Array(this.owners.length);
  }

  /**
   * The signatures that could match `words`, per owner, each owner's list in signature order
   * (the order hits were always considered in, so ties resolve as before).
   */
  candidates(words: IndexedTokens): Map<number, number[]> {
    const touched = this.touched;
    touched.length = 0;
    for (const id of this.unindexed) {
      touched.push(id);
      this.counts[id] = 0xffff;
    }
    for (const token of words.positions.keys()) {
      const ids = this.byToken.get(token);
      if (ids === undefined) continue;
      for (const id of ids) {
        const count = this.counts[id] ?? 0;
        if (count === 0) touched.push(id);
        if (count !== 0xffff) this.counts[id] = count + 1;
      }
    }
    const byOwner = new Map<number, number[]>();
    if (touched.length === 0) return byOwner;
    if (touched.length > 1) touched.sort((a, b) => a - b);
    for (const id of touched) {
      const count = this.counts[id] ?? 0;
      this.counts[id] = 0;
      if (count < (this.needed[id] ?? 1)) continue;
      const owner = this.owners[id] ?? 0;
      const position = this.positions[id] ?? 0;
      const list = byOwner.get(owner);
      if (list) list.push(position);
      else byOwner.set(owner, [position]);
    }
    return byOwner;
  }
}

/** The compiled knowledge base and its lookups (what `signatureIndex()` returns). */
export interface SignatureIndex {
  /** Every entry, compiled. */
  compiled: readonly CompiledEntry[];
  /** Every known other cause, compiled. */
  compiledCauses: readonly CompiledCause[];
  /** Entries by the short names of their type signatures, so a level's type names find them directly. */
  entriesByTypeName: ReadonlyMap<string, number[]>;
  /** Candidate signatures of the knowledge base's entries. */
  entryIndex: TokenIndex;
  /** Candidate signatures of the known other causes. */
  causeIndex: TokenIndex;
}

let built: SignatureIndex | undefined;

/**
 * The compiled knowledge base, built on the first explain rather than at load: every command module
 * imports the knowledge base, and compiling it cost each console and service start tens of milliseconds.
 */
export function signatureIndex(): SignatureIndex {
  if (built) return built;
  const compiled = knowledgeBase.map(compileEntry);
  const compiledCauses = otherCauses.map(compileCause);
  const entriesByTypeName = new Map<string, number[]>();
  compiled.forEach((entry, e) => {
    for (const short of new Set(entry.types.map((t) => t.short))) {
      const list = entriesByTypeName.get(short);
      if (list) list.push(e);
      else entriesByTypeName.set(short, [e]);
    }
  });
  built = {
    compiled,
    compiledCauses,
    entriesByTypeName,
    entryIndex: new TokenIndex(compiled),
    causeIndex: new TokenIndex(compiledCauses),
  };
  return built;
}
