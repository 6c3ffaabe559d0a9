import { describe, expect, it } from "vitest";
import { redactDeep, redactedKinds, redactSecrets, redactText } from "../../src/foundation/redaction.js";

/** No run of four characters of the secret survives anywhere in the text: masking its first character is not enough. */
function expectFullyMasked(redacted: string, secret: string): void {
  const out = redacted.replace(/\[REDACTED:[a-z-]+\]/g, "");
  for (let i = 0; i + 4 <= secret.length; i++) {
    const piece = secret.slice(i, i + 4);
    if (/^[\w-]{4}$/.test(piece)) expect(out, `"${piece}" of the secret is still there`).not.toContain(piece);
  }
}

const cases: { name: string; text: string; secret: string; expected: string; kinds: string[] }[] = [
  {
    name: "a Slack bot token",
    text: "token xoxb-1234567890-0987654321-AbCdEfGhIjKlMnOp in the log",
    secret: "1234567890-0987654321-AbCdEfGhIjKlMnOp",
    expected: "token [REDACTED:slack-token] in the log",
    kinds: ["slack-token"],
  },
  {
    name: "a Slack app-level token",
    text: "SLACK_APP_TOKEN xapp-1-A0123456789-0123456789-abcdef0123456789",
    secret: "A0123456789-0123456789-abcdef0123456789",
    expected: "SLACK_APP_TOKEN [REDACTED:slack-token]",
    kinds: ["slack-token"],
  },
  {
    name: "a storage account key in a connection string",
    text: "DefaultEndpointsProtocol=https;AccountName=scan;AccountKey=QmFzZTY0S2V5VmFsdWUxMjM0NTY3ODkw+/==;EndpointSuffix=core.windows.net",
    secret: "QmFzZTY0S2V5VmFsdWUxMjM0NTY3ODkw",
    expected:
      "DefaultEndpointsProtocol=https;AccountName=scan;AccountKey=[REDACTED:connection-string-key];EndpointSuffix=core.windows.net",
    kinds: ["connection-string-key"],
  },
  {
    name: "a SAS signature",
    text: "GET https://acct.blob.core.windows.net/c/b?sv=2022-11-02&sig=AbCdEf0123456789GhIjKl%2Bmn%3D&se=2026",
    secret: "AbCdEf0123456789GhIjKl",
    expected: "GET https://acct.blob.core.windows.net/c/b?sv=2022-11-02&sig=[REDACTED:sas-signature]&se=2026",
    kinds: ["sas-signature"],
  },
  {
    name: "a SQL password, bare, quoted and in braces",
    text: 'Server=SQL01;User Id=scan;Password=Hunter2-Secret;Pwd="Quoted Pass 77";password={Br@ces;Pass9}',
    secret: "Hunter2-Secret",
    expected:
      "Server=SQL01;User Id=scan;Password=[REDACTED:connection-string-password];Pwd=[REDACTED:connection-string-password];password=[REDACTED:connection-string-password]",
    kinds: ["connection-string-password"],
  },
  {
    name: "a bearer token in an Authorization header",
    text: "Authorization: Bearer opaqueTokenValue0123456789abcdef",
    secret: "opaqueTokenValue0123456789abcdef",
    expected: "Authorization: Bearer [REDACTED:authorization-header]",
    kinds: ["authorization-header"],
  },
  {
    name: "a bare JWT",
    text: "id_token=eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.c2lnbmF0dXJlMTIzNDU2 received",
    secret: "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.c2lnbmF0dXJlMTIzNDU2",
    expected: "id_token=[REDACTED:jwt] received",
    kinds: ["jwt"],
  },
  {
    name: "an unterminated private key (a paste cut short)",
    text: "cert:\n-----BEGIN RSA PRIVATE KEY-----\nMIIEowIBAAKCAQEAu1SU1LfVLPHCozMxH2Mo\n4lgOEePzNm0tRgeLezV6ffAt0gunVTLw7onL",
    secret: "MIIEowIBAAKCAQEAu1SU1LfVLPHCozMxH2Mo",
    expected: "cert:\n[REDACTED:private-key]",
    kinds: ["private-key"],
  },
  {
    name: "a PowerShell -AppSecret argument",
    text: 'Set-AIPAuthentication -AppId 77c3c1c3 -AppSecret "OAXk8Q~abc/d]efGHIJ" -TenantId 9c11c87a',
    secret: "OAXk8Q~abc/d]efGHIJ",
    expected:
      "Set-AIPAuthentication -AppId 77c3c1c3 -AppSecret [REDACTED:powershell-secret-argument] -TenantId 9c11c87a",
    kinds: ["powershell-secret-argument"],
  },
  {
    name: "an Entra client secret on its own",
    text: "the secret is abc8Q~0123456789abcdefghijABCDEFGHIJ_- now",
    secret: "0123456789abcdefghijABCDEFGHIJ",
    expected: "the secret is [REDACTED:entra-client-secret] now",
    kinds: ["entra-client-secret"],
  },
  {
    name: "a client_secret key/value",
    text: 'client_secret: "s3cr3t-Value-XYZ"',
    secret: "s3cr3t-Value-XYZ",
    expected: "client_secret: [REDACTED:secret-value]",
    kinds: ["secret-value"],
  },
];

describe("every secret kind is masked whole, keeping the key readable", () => {
  for (const c of cases) {
    it(c.name, () => {
      const { text, found } = redactSecrets(c.text);
      expect(text).toBe(c.expected);
      expectFullyMasked(text, c.secret);
      expect(redactedKinds(found)).toEqual(c.kinds);
    });
  }
});

describe("what is not a secret stays as it is", () => {
  it.each([
    "Failed to acquire token: user_interaction_required",
    "Password=******;Server=SQL01",
    "Set-AIPAuthentication -AppSecret <secret> -TenantId 9c11c87a",
    "token: none",
    "The sig=short value",
    "-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----",
  ])("%s", (text) => {
    expect(redactSecrets(text)).toEqual({ text, found: [] });
  });

  it("counts one finding per secret, so the warning can say how many", () => {
    const { found } = redactSecrets("Password=a1b2c3d4e5; Password=f6g7h8i9j0");
    expect(found).toEqual([{ kind: "connection-string-password" }, { kind: "connection-string-password" }]);
  });
});

describe("a value after a loose key (token:, secret=) is hidden only when it looks like a credential", () => {
  it.each([
    ["token: Ab1cdefg", true], // 8 characters with a digit: a credential
    ["token: Ab1cdef", false], // 7: too short to be one
    ['token: "Ab1cdef"', false], // the quotes do not count towards the length
    ['token: "Ab1cdefg"', true],
    ["token: abcdefg1", true], // a digit
    ["token: abcdEfgh", true], // mixed case
    ["token: abcd.efgh", true], // punctuation
    ["token: abcdefgh", false], // one lower-case word is prose
    ["token: ABCDEFGH", false],
  ])("%s → hidden: %s", (text, hidden) => {
    expect(redactSecrets(text).text === text).toBe(!hidden);
  });
});

describe("placeholders are recognised whole, not as a prefix or suffix of a real secret", () => {
  it.each([
    ["Password=xxx;Server=SQL01", false],
    ["Password=xxxRealSecret9;Server=SQL01", true],
    ["Password=RealSecret9xxx;Server=SQL01", true],
    ["Password=****RealSecret9;Server=SQL01", true],
    ["Password=<password>;Server=SQL01", false],
    ["Password=<x>Real9;Server=SQL01", true],
    ["-AppSecret none", false],
    ["-AppSecret noneSoReal77", true],
    // One character before or after a placeholder makes it a value: a short secret must not pass for "xxx".
    ["Password=9xxx;Server=SQL01", true],
    ["Password=xxx9;Server=SQL01", true],
    ["Password='xxx';Server=SQL01", false],
    // Already redacted text stays as it is: redacting twice must not change an answer or a log line.
    ["Password=[REDACTED:connection-string-password];Server=SQL01", false],
    ["Password=[redacted];Server=SQL01", false],
    ["Password=[redacted;Server=SQL01", false],
  ])("%s → hidden: %s", (text, hidden) => {
    expect(redactSecrets(text).text === text).toBe(!hidden);
  });
});

describe("redactDeep and the wordings a pattern must tolerate", () => {
  it("redacts every string of a JSON-like value, keys kept, other values untouched", () => {
    const value = {
      text: "Password=Hunter2-Secret;",
      blocks: [{ kind: "code", text: "token xoxb-1234567890-0987654321-AbCdEf" }, null, 42, true],
      nested: { list: ["-AppSecret s3cr3t-Value-XYZ", "plain"] },
    };
    expect(redactDeep(value)).toEqual({
      text: "Password=[REDACTED:connection-string-password];",
      blocks: [{ kind: "code", text: "token [REDACTED:slack-token]" }, null, 42, true],
      nested: { list: ["-AppSecret [REDACTED:powershell-secret-argument]", "plain"] },
    });
    expect(value.text).toBe("Password=Hunter2-Secret;");
    expect(redactDeep("Pwd=abc123def")).toBe("Pwd=[REDACTED:connection-string-password]");
    expect(redactDeep(undefined)).toBeUndefined();
    expect(redactText("nothing here")).toBe("nothing here");
  });

  it.each([
    [
      "a PKCS#8 key without a type word",
      "-----BEGIN PRIVATE KEY-----\nMIIEvQIBADANBg\n-----END PRIVATE KEY----- after",
      "[REDACTED:private-key] after",
    ],
    [
      "a header without a space",
      "Authorization:Bearer abcdef0123456789",
      "Authorization:Bearer [REDACTED:authorization-header]",
    ],
    [
      "a space before the colon",
      "Authorization : Bearer abcdef0123456789",
      "Authorization : Bearer [REDACTED:authorization-header]",
    ],
    [
      "several spaces before the token",
      "Authorization: Bearer    abcdef0123456789",
      "Authorization: Bearer    [REDACTED:authorization-header]",
    ],
    [
      "an unterminated double-quoted password",
      'Password="Hunter2 and more',
      "Password=[REDACTED:connection-string-password]",
    ],
    [
      "a single-quoted password",
      "Password='Hunter 2';Server=x",
      "Password=[REDACTED:connection-string-password];Server=x",
    ],
    ["an unterminated braced password", "Password={Hunter;2", "Password=[REDACTED:connection-string-password]"],
  ])("%s", (_name, text, expected) => {
    expect(redactSecrets(text).text).toBe(expected);
  });
});
