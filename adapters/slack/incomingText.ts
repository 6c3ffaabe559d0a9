/**
 * Turns Slack's message markup back into what the person typed: mentions of
 * the bot removed, links and channel references unwrapped, `&amp;` `&lt;`
 * `&gt;` decoded (pasted errors are full of `<` and `>`).
 */
export function textFromSlack(text: string, botUserId?: string): string {
  // Every pattern stops at the next `<`: markup that never closes, repeated over a 1 MB
  // message, must not make a pattern rescan the rest of the text (quadratic time).
  let out = text.replace(/^(?:\s*<@[UW][A-Z0-9]+(?:\|[^<>]*)?>[\s,:]*)+/, "");
  if (botUserId) out = out.replaceAll(`<@${botUserId}>`, "");
  out = out
    .replace(/<@([UW][A-Z0-9]+)(?:\|([^<>]*))?>/g, (_m, user: string, name?: string) => `@${name || user}`)
    .replace(/<#(C[A-Z0-9]+)(?:\|([^<>]*))?>/g, (_m, channel: string, name?: string) => `#${name || channel}`)
    .replace(/<!(here|channel|everyone)(?:\|[^<>]*)?>/g, "@$1")
    .replace(/<((?:https?|mailto|file):[^|<>]+)\|([^<>]*)>/g, (_m, url: string, label: string) =>
      label && label !== url.replace(/^mailto:/, "") ? `${label} (${url})` : label || url,
    )
    .replace(/<((?:https?|mailto|file):[^<>]+)>/g, "$1");
  return out.replace(/&lt;/g, "<").replace(/&gt;/g, ">").replace(/&amp;/g, "&").trim();
}
