import { describe, expect, it } from "vitest";
import { redactedKinds, redactSecrets } from "../../src/foundation/redaction.js";

/** Redacts and checks that the secret is gone and the expected kind was reported. */
function expectRedacted(text: string, secret: string, kind: string): string {
  const { text: out, found } = redactSecrets(text);
  expect(out).not.toContain(secret);
  expect(found.map((f) => f.kind)).toContain(kind);
  return out;
}

describe("redactSecrets", () => {
  it("removes the article's own -AppSecret example but keeps the non-secret arguments", () => {
    const secret = "OAkk+rnuYc/u+]ah2kNxVbtrDGbS47L4";
    const out = expectRedacted(
      `Set-AIPAuthentication -AppId "77c3c1c3-abf9-404e-8b2b-4652836c8c66" -AppSecret "${secret}" -DelegatedUser scanner@contoso.com -TenantId "9c11c87a-ac8b-46a3-8d5c-f4d0b72ee29a"`,
      secret,
      "powershell-secret-argument",
    );
    expect(out).toContain("-AppSecret [REDACTED:powershell-secret-argument]");
    expect(out).toContain("77c3c1c3-abf9-404e-8b2b-4652836c8c66");
    expect(out).toContain("-DelegatedUser scanner@contoso.com");
  });

  it("covers -Password, -ClientSecret and unquoted values", () => {
    expectRedacted("New-Thing -Password 'Winter2025!' -Name x", "Winter2025!", "powershell-secret-argument");
    expectRedacted("Connect -ClientSecret abcDEF123~.xyz -Verbose", "abcDEF123~.xyz", "powershell-secret-argument");
  });

  it("hides a quoted secret even when the paste was cut before its closing quote", () => {
    expectRedacted('Set-AIPAuthentication -AppSecret "OAkk+rnuYc/u+]ah2', "OAkk+rnuYc", "powershell-secret-argument");
    expectRedacted("Server=x;Password='Hunter2", "Hunter2", "connection-string-password");
  });

  it("covers passwords in SQL connection strings", () => {
    const out = expectRedacted(
      "Server=sql01;Database=AIPScannerUL_contoso;User Id=svc;Password=S3cr3t;pw!;Encrypt=true",
      "S3cr3t",
      "connection-string-password",
    );
    expect(out).toContain("Database=AIPScannerUL_contoso");
    expectRedacted("Data Source=x;uid=sa;pwd={p;a;ss};", "p;a;ss", "connection-string-password");
  });

  it("covers bearer headers, JWTs and Slack tokens", () => {
    const jwt = "eyJhbGciOiJSUzI1NiIsInR5cCI6IkpXVCJ9.eyJhdWQiOiJodHRwczovL3N5bmNzZXJ2aWNlIn0.c2lnbmF0dXJlLXZhbHVl";
    expectRedacted(`Authorization: Bearer ${jwt}`, jwt, "authorization-header");
    expectRedacted(`token in log: ${jwt} end`, jwt, "jwt");
    expectRedacted("bot token xoxb-1234567890-0987654321-AbCdEfGhIjKl", "xoxb-1234567890", "slack-token");
    expectRedacted("xapp-1-A0123456789-0123456789-abcdef0123456789", "xapp-1-A0123", "slack-token");
    expectRedacted("user xoxp-1111-2222-3333-abcdef", "xoxp-1111", "slack-token");
    const hook = expectRedacted(
      "posting to https://hooks.slack.com/services/T0001/B0002/XXXXXXXXXXXXXXXXXXXXXXXX failed",
      "T0001/B0002",
      "slack-webhook-url",
    );
    expect(hook).toContain("https://hooks.slack.com/services/[REDACTED:slack-webhook-url] failed");
    expect(
      redactSecrets(
        "https://prod-12.westeurope.logic.azure.com:443/workflows/abc/triggers/manual/paths/invoke?api-version=2016-06-01&sp=%2Ftriggers%2Fmanual%2Frun&sv=1.0&sig=Zm9vYmFyYmF6cXV4MTIzNDU2Nzg5",
      ).text,
    ).not.toContain("Zm9vYmFy");
  });

  it("covers Entra client secrets after secret-ish keys and in their own format", () => {
    expectRedacted('"client_secret": "Zx8Q~abcdefghijklmnopqrstuvwxyz0123456"', "Zx8Q~abc", "secret-value");
    expectRedacted("ClientSecret=AbCdEfGhIjKlMnOpQrStUvWxYz0123456789", "AbCdEfGhIjKl", "secret-value");
    expectRedacted("it is Zxy8Q~abcdefghijklmnopqrstuvwxyz01234 ok", "Zxy8Q~abc", "entra-client-secret");
  });

  it("covers SharedAccessKey and private key blocks", () => {
    expectRedacted(
      "Endpoint=sb://x.servicebus.windows.net/;SharedAccessKeyName=Root;SharedAccessKey=q1w2e3r4t5y6u7i8o9p0=",
      "q1w2e3r4t5y6u7i8o9p0=",
      "connection-string-key",
    );
    const key = "-----BEGIN RSA PRIVATE KEY-----\nMIIEpAIBAAKCAQEAx\n-----END RSA PRIVATE KEY-----";
    const out = expectRedacted(`before\n${key}\nafter`, "MIIEpAIBAAKCAQEAx", "private-key");
    expect(out).toBe("before\n[REDACTED:private-key]\nafter");
  });

  it("leaves ordinary scanner errors untouched", () => {
    const text =
      "Microsoft.InformationProtection.Exceptions.NoAuthTokenException: Client application failed to provide authentication token for HTTP request";
    expect(redactSecrets(text)).toEqual({ text, found: [] });
    expect(redactSecrets("The service didn't accept the auth token.").found).toEqual([]);
  });

  it("does not flag prose after token/secret keys, placeholders or registry keys", () => {
    for (const text of [
      "Failed to acquire token: user_interaction_required",
      "token=expired",
      "password: ******",
      "-AppSecret <secret>",
      "Secret: none",
      "Get-Item -Path HKLM:\\SOFTWARE\\Microsoft\\MSIP",
    ]) {
      expect(redactSecrets(text), text).toEqual({ text, found: [] });
    }
    expectRedacted("refresh_token: AQABAAAAAAD--DLA3VO7QrddgJg7WevrAgDs", "AQABAAAAAAD", "secret-value");
    expectRedacted("password: correcthorse", "correcthorse", "secret-value");
  });

  it("lists distinct kinds for a warning", () => {
    const { found } = redactSecrets("-Password a -Password b pwd=c;");
    expect(found).toHaveLength(3);
    expect(redactedKinds(found).sort()).toEqual(["connection-string-password", "powershell-secret-argument"]);
  });
});
