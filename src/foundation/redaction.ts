/**
 * Secret redaction for anything a user pastes. Pasted scanner transcripts often carry the
 * very secrets used to set the scanner up (Set-AIPAuthentication -AppSecret, SQL connection
 * strings, bearer tokens); they must never be echoed to a channel or written to a log.
 */

/** What was redacted: the kind of secret, never its value. */
export interface RedactedSecret {
  kind: string;
}

/** Redacted text plus one record per secret that was removed. */
export interface Redaction {
  text: string;
  found: RedactedSecret[];
}

interface SecretPattern {
  kind: string;
  pattern: RegExp;
  /** Builds the replacement from the match groups; keeps the key so the text stays readable. */
  replace: (match: string, ...groups: string[]) => string;
}

const mask = (kind: string) => `[REDACTED:${kind}]`;

/** Values people type in place of a secret (`******`, `<secret>`, `none`): nothing to hide or rotate. */
const placeholder = /^["']?(?:\*+|x{3,}|none|null|n\/a|<[^>]*>|\[redacted[^\]]*\]?|\.{3}|…)["']?$/i;

/**
 * Does a value after a loose key like `token:` look like a credential rather than prose?
 * (`Failed to acquire token: user_interaction_required` must stay readable.)
 */
function looksSecret(value: string): boolean {
  const bare = value.replace(/^["']|["']$/g, "");
  if (bare.length < 8) return false;
  return /\d/.test(bare) || (/[a-z]/.test(bare) && /[A-Z]/.test(bare)) || /[^\w]/.test(bare);
}

// A value: double-quoted, single-quoted or a bare word. Quoted values may contain anything
// but their quote (the article's sample secret contains `]` and `/`).
// Lengths are bounded so that unclosed quotes cannot make a scan quadratic on long lines.
// An unclosed quote (a paste cut short) still hides what follows it. A bare value ends at a backtick:
// replies quote what was typed in `code`, and the text after the quote must stay readable.
const value = String.raw`("[^"\r\n]{0,512}"?|'[^'\r\n]{0,512}'?|[^\s"',;\x60]{1,512})`;
const secretKey =
  "(?:client[_ -]?secret|app[_ -]?secret|secret[_ -]?(?:key|value)?|api[_ -]?key|access[_ -]?key|account[_ -]?key|shared[_ -]?access[_ -]?key|password|passwd|pwd|token|access[_ -]?token|refresh[_ -]?token)";

const patterns: SecretPattern[] = [
  {
    kind: "private-key",
    pattern: /-----BEGIN ((?:[A-Z]+ )*)PRIVATE KEY-----[\s\S]*?(?:-----END \1PRIVATE KEY-----|$)/g,
    replace: () => mask("private-key"),
  },
  {
    kind: "powershell-secret-argument",
    pattern: new RegExp(
      String.raw`(-(?:AppSecret|ClientSecret|Password|CertificatePassword|Secret|AccessToken|Token|SasToken)\s*[: ]\s*)${value}`,
      "gi",
    ),
    replace: (m, key, secret) => (placeholder.test(secret ?? "") ? m : `${key}${mask("powershell-secret-argument")}`),
  },
  {
    kind: "authorization-header",
    pattern: /(Authorization\s*[:=]\s*"?(?:Bearer|Basic|Negotiate|NTLM)\s+)[A-Za-z0-9._~+/=-]+/gi,
    replace: (_m, key) => `${key}${mask("authorization-header")}`,
  },
  {
    kind: "jwt",
    // Candidates are matched greedily (no backtracking) and checked for the three-part shape here.
    pattern: /\beyJ[\w-]*(?:\.[\w-]*)*/g,
    replace: (m) => (/^eyJ[\w-]{5,}\.[\w-]{5,}\.[\w-]*/.test(m) ? mask("jwt") : m),
  },
  {
    kind: "slack-token",
    pattern: /\b(?:xox[abposre]|xapp)-[A-Za-z0-9-]{8,}/g,
    replace: () => mask("slack-token"),
  },
  {
    // An incoming-webhook or workflow URL lets anyone post to the channel: https://hooks.slack.com/services/T…/B…/…
    kind: "slack-webhook-url",
    pattern: /(hooks\.slack(?:-gov)?\.com\/(?:services|workflows|triggers)\/)[A-Za-z0-9/_-]+/gi,
    replace: (_m, prefix) => `${prefix}${mask("slack-webhook-url")}`,
  },
  {
    kind: "connection-string-key",
    pattern: /((?:SharedAccessKey|AccountKey|SharedAccessSignature)\s*=\s*)([^;"'\s]+)/gi,
    replace: (_m, key) => `${key}${mask("connection-string-key")}`,
  },
  {
    kind: "sas-signature",
    pattern: /([?&]sig=)[A-Za-z0-9%+/=]{10,}/gi,
    replace: (_m, key) => `${key}${mask("sas-signature")}`,
  },
  {
    kind: "connection-string-password",
    pattern: /(\b(?:password|pwd)\s*=\s*)("[^"]{0,512}"?|'[^']{0,512}'?|\{[^}]{0,512}\}?|[^;"'`\r\n]{1,512})/gi,
    replace: (m, key, secret) =>
      placeholder.test((secret ?? "").trim()) ? m : `${key}${mask("connection-string-password")}`,
  },
  {
    kind: "secret-value",
    pattern: new RegExp(String.raw`(["']?\b${secretKey}["']?\s*[:=]\s*)${value}`, "gi"),
    replace: (m, key, secret) => {
      const v = secret ?? "";
      if (v.includes("[REDACTED:") || placeholder.test(v)) return m;
      // Password keys always hold a secret; token/secret keys also appear in prose and log messages.
      const strictKey = /pass|pwd/i.test(key ?? "");
      return strictKey || looksSecret(v) ? `${key}${mask("secret-value")}` : m;
    },
  },
  {
    // Microsoft Entra client secrets since 2021: three characters, `8Q~` (or another digit + Q~), then 31–34 more.
    kind: "entra-client-secret",
    pattern: /(?<![A-Za-z0-9_~.-])[A-Za-z0-9_~.-]{3}\dQ~[A-Za-z0-9_~.-]{31,34}(?![A-Za-z0-9_~.-])/g,
    replace: () => mask("entra-client-secret"),
  },
];

/**
 * A word every pattern above needs to match (keep it in step when adding one). Every reply, audit entry
 * and log line is redacted, and almost none holds a secret: one test of this spares them the patterns.
 */
const mayHoldSecret =
  /BEGIN|authorization|eyJ|xox|xapp|hooks\.slack|sharedaccess|accountkey|sig=|pass|pwd|secret|token|key|\dQ~/i;

/** Replaces every secret in `text` with `[REDACTED:<kind>]` and says what kinds were found. */
export function redactSecrets(text: string): Redaction {
  if (!mayHoldSecret.test(text)) return { text, found: [] };
  const found: RedactedSecret[] = [];
  let out = text;
  for (const { kind, pattern, replace } of patterns) {
    out = out.replace(pattern, (match: string, ...rest: unknown[]) => {
      const groups = rest.filter((g): g is string => typeof g === "string" || g === undefined).map((g) => g ?? "");
      const replaced = replace(match, ...groups);
      if (replaced !== match) found.push({ kind });
      return replaced;
    });
  }
  return { text: out, found };
}

/** The distinct kinds in a redaction, for a short warning ("an app secret and a JWT"). */
export function redactedKinds(found: readonly RedactedSecret[]): string[] {
  return [...new Set(found.map((f) => f.kind))];
}

/** `text` with every secret replaced; for text echoed, logged or audited as it is. */
export function redactText(text: string): string {
  return redactSecrets(text).text;
}

/**
 * A copy of a JSON-like value (strings, numbers, arrays, plain objects) with every string redacted;
 * keys are kept. Replies and log lines pass through here whole, so no field can be forgotten.
 */
export function redactDeep<T>(value: T): T {
  return walk(value) as T;
}

function walk(value: unknown): unknown {
  if (typeof value === "string") return redactText(value);
  if (Array.isArray(value)) return value.map(walk);
  if (value !== null && typeof value === "object") {
    return Object.fromEntries(Object.entries(value).map(([key, inner]) => [key, walk(inner)]));
  }
  return value;
}
