import { isSecretReference } from "../foundation/secretReference.js";

/**
 * Finds secrets written literally in the bot's config file (before `env:` references are resolved), so
 * `config check` can say where. The bot still starts with them; the node agent refuses them outright.
 */

/** A URL carrying a password (`postgres://user:password@host`, `http://user:password@proxy`, `?password=`). */
const carriesPassword = (value: string) => /^[a-z][\w+.-]*:\/\/[^/@\s]*:[^/@\s]*@|[?&]password=/i.test(value);

/** The settings that hold secrets; `*` is every item of a list. Some are secrets only when they carry a password. */
const secretSettings: { path: readonly string[]; only?: (value: string) => boolean }[] = [
  { path: ["clusters", "*", "nodes", "*", "secret"] },
  { path: ["slack", "botToken"] },
  { path: ["slack", "signingSecret"] },
  { path: ["slack", "appToken"] },
  { path: ["slack", "proxy"], only: carriesPassword },
  { path: ["teams", "appPassword"] },
  { path: ["teams", "certificatePrivateKey"] },
  { path: ["store", "url"], only: carriesPassword },
];

/** Every value at `pattern` in `node`, with its concrete path. */
function valuesAt(node: unknown, pattern: readonly string[], path: PropertyKey[] = []): [PropertyKey[], unknown][] {
  const [head, ...rest] = pattern;
  if (head === undefined) return [[path, node]];
  if (head === "*") {
    return Array.isArray(node) ? node.flatMap((item, i) => valuesAt(item, rest, [...path, i])) : [];
  }
  if (node === null || typeof node !== "object" || Array.isArray(node)) return [];
  return head in node ? valuesAt((node as Record<string, unknown>)[head], rest, [...path, head]) : [];
}

/** The path of every secret written in the file (not an `env:` reference). */
export function inlineSecretPaths(raw: unknown): PropertyKey[][] {
  const found: PropertyKey[][] = [];
  for (const { path, only } of secretSettings) {
    for (const [where, value] of valuesAt(raw, path)) {
      if (typeof value !== "string" || value.trim() === "") continue;
      if (isSecretReference(value.trim(), { files: false }) || (only && !only(value))) continue;
      found.push(where);
    }
  }
  return found;
}
