/**
 * Text for Adaptive Card TextBlocks as Teams shows it. Teams runs every TextBlock
 * (monospace too) through its markdown subset: emphasis, lists, links and
 * backslash escapes, but no inline code
 * (https://learn.microsoft.com/microsoftteams/platform/task-modules-and-cards/cards/cards-format).
 * So `\\fs01` loses a backslash and `` `ack 2` `` shows its backticks unless we write them for it.
 */

/** The longest word a 540 px card line holds; longer ones (paths) are shortened in the middle. */
export const maxCardWordLength = 48;

/** Escapes what Teams' markdown would eat or reinterpret, so the text shows as written. */
export function cardLiteral(text: string): string {
  return text.replace(/[\\*_]|\](?=\()/g, "\\$&");
}

/** Shortens words longer than `max` in the middle, keeping the start and the end (a path's file name). */
export function shortenLongWords(text: string, max = maxCardWordLength): string {
  return text.replace(/\S+/g, (word) => {
    if (word.length <= max) return word;
    const tail = Math.ceil(max * 0.55);
    return `${word.slice(0, max - tail - 1)}…${word.slice(word.length - tail)}`;
  });
}

/**
 * Prose of the reply model for a card: `*emphasis*` stays emphasis, `` `code` ``
 * becomes quoted (Teams has no inline code), everything else shows literally and
 * long words are shortened so nothing runs past the card's edge.
 */
export function cardProse(text: string): string {
  const parts = text.split("`");
  // An odd number of backticks leaves the last one unpaired: it is text, not code.
  const paired = parts.length % 2 === 1 ? parts : [...parts.slice(0, -2), `${parts.at(-2)}${parts.at(-1)}`];
  return paired
    .map((part, i) => (i % 2 === 1 ? `“${cardLiteral(shortenLongWords(part))}”` : emphasisOrLiteral(part)))
    .join("");
}

/** Keeps `*word*` pairs as emphasis (bold, as Slack shows them); every other special character is literal. */
function emphasisOrLiteral(text: string): string {
  const out: string[] = [];
  let last = 0;
  for (const match of text.matchAll(/\*([^*\s](?:[^*\n]*[^*\s])?)\*/g)) {
    out.push(cardLiteral(shortenLongWords(text.slice(last, match.index))));
    out.push(`**${cardLiteral(shortenLongWords(match[1] ?? ""))}**`);
    last = match.index + match[0].length;
  }
  out.push(cardLiteral(shortenLongWords(text.slice(last))));
  return out.join("");
}
