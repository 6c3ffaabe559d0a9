import { tokenize, tokenWeight } from "./errorText.js";

/** A signature phrase prepared for matching: its tokens and how much each one identifies. */
export interface CompiledPhrase {
  phrase: string;
  tokens: string[];
  weights: number[];
  totalWeight: number;
}

/** Where and how well a phrase was found in a token list. */
export interface PhraseHit {
  /** 1 for the whole phrase, less for a fragment of it. */
  strength: number;
  start: number;
  end: number;
  /**
   * A fragment the text contradicts: before or after it the text has other words where the phrase goes on
   * ("… on a send" against "… on a receive"), rather than being cut off there.
   */
  diverges: boolean;
}

/** Tokens of a text plus an index from token to positions, built once per text. */
export interface IndexedTokens {
  tokens: string[];
  positions: Map<string, number[]>;
}

/** Prepares a phrase for repeated matching. */
export function compilePhrase(phrase: string): CompiledPhrase {
  const tokens = tokenize(phrase);
  const weights = tokens.map(tokenWeight);
  return { phrase, tokens, weights, totalWeight: weights.reduce((a, b) => a + b, 0) };
}

/** Tokenizes a text and indexes where each token occurs. */
export function indexTokens(tokens: string[]): IndexedTokens {
  const positions = new Map<string, number[]>();
  tokens.forEach((token, i) => {
    const list = positions.get(token);
    if (list) list.push(i);
    else positions.set(token, [i]);
  });
  return { tokens, positions };
}

// A fragment must carry at least this much identifying weight (about two real words).
const minimumFragmentWeight = 1.8;
// A fragment with this much weight (four real words) is as telling as it gets without being whole.
const fullFragmentWeight = 4;

/**
 * Finds the best contiguous run of `phrase` inside `text`. A whole phrase scores 1. A fragment
 * (a truncated paste, or a paste that quotes part of a long message) scores by the share of
 * the phrase it covers or by how many telling words it has, whichever is higher, below 1.
 * A short fragment must look like a cut paste (see below); only a long one (four telling words)
 * counts anywhere. A last word cut off mid-way ("authentication tok")
 * still counts half.
 */
export function matchPhrase(phrase: CompiledPhrase, text: IndexedTokens): PhraseHit | undefined {
  const { tokens } = text;
  let best: PhraseHit | undefined;
  for (let i = 0; i < phrase.tokens.length; i++) {
    const first = phrase.tokens[i];
    if (first === undefined) continue;
    const starts = text.positions.get(first);
    if (!starts) continue;
    for (const p of starts) {
      let k = 0;
      let weight = 0;
      while (i + k < phrase.tokens.length && tokens[p + k] === phrase.tokens[i + k]) {
        weight += phrase.weights[i + k] ?? 0;
        k++;
      }
      const next = tokens[p + k];
      const wanted = phrase.tokens[i + k];
      const cutOff =
        next !== undefined &&
        wanted !== undefined &&
        p + k === tokens.length - 1 &&
        next.length >= 3 &&
        wanted.startsWith(next);
      if (cutOff) weight += (phrase.weights[i + k] ?? 0) / 2;
      const whole = i === 0 && k === phrase.tokens.length;
      // Pastes get cut: a tail-cut paste ends inside the phrase (the run starts where the phrase
      // starts), a head-cut one starts inside it (the run ends where the phrase ends), and a quoted
      // piece is all of the text. A short run that diverges from the phrase on both sides is a coincidence.
      const reachesTextEnd = p + k + (cutOff ? 1 : 0) >= tokens.length;
      const atEdge =
        (i === 0 && reachesTextEnd) || (p === 0 && i + k === phrase.tokens.length) || (p === 0 && reachesTextEnd);
      let strength: number;
      if (whole) strength = 1;
      else if (weight < minimumFragmentWeight || (!atEdge && weight < fullFragmentWeight)) continue;
      else
        strength = Math.min(
          0.9,
          Math.max(weight / phrase.totalWeight, (0.85 * Math.min(weight, fullFragmentWeight)) / fullFragmentWeight),
        );
      if (!best || strength > best.strength) {
        const divergesAtEnd = !cutOff && next !== undefined && wanted !== undefined;
        // A run that starts inside the phrase after other words (p > 0) disagrees at its start too.
        const diverges = !whole && (divergesAtEnd || (i > 0 && p > 0));
        best = { strength, start: p, end: p + k + (cutOff ? 1 : 0), diverges };
      }
      if (strength === 1) return best;
    }
  }
  return best;
}
