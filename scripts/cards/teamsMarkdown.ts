/**
 * The markdown-it rules Teams' card markdown lacks: it keeps emphasis, lists, links
 * and backslash escapes, but has no inline code, headings, quotes, tables or images
 * (https://learn.microsoft.com/microsoftteams/platform/task-modules-and-cards/cards/cards-format).
 * The render script and the card layout test both read TextBlocks through these rules.
 */
export const teamsDisabledMarkdownRules = [
  "backticks",
  "code",
  "fence",
  "heading",
  "lheading",
  "blockquote",
  "hr",
  "table",
  "image",
  "strikethrough",
  "reference",
  "autolink",
];

/** markdown-it options matching Teams: no raw HTML, single newlines break lines, no auto-linking. */
export const teamsMarkdownOptions = { html: false, breaks: true, linkify: false } as const;
