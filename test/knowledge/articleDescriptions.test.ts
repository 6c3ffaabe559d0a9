import { describe, expect, it } from "vitest";
import { type Explanation, explainText } from "../../src/knowledge/matcher.js";
import { answered } from "../support/explainAnswers.js";

const top = (e: Explanation) => e.findings[0]?.candidates[0];

describe("the article's description sentences (issue 16, round 3)", () => {
  it.each([
    ["Our scanner has exceeded the number of allowed network connections again", "unable-to-connect-to-remote-server"],
    ["Support said: the scanner is unable to find your sensitivity label policy file.", "policy-missing"],
    ["The scanner is processing a single file for a longer time than expected.", "stuck-scanner-processes"],
    ["This error occurs when the content scan job or profile can't be found.", "missing-content-scan-job-or-profile"],
    ["No actual match found for one of the scanner clusters you've defined", "no-cluster-found"],
  ])("leads the English '%s' to its section", (text, entry) => {
    expect(answered(explainText(text))).toEqual([entry]);
  });

  it.each([
    [
      "de",
      "Der Scanner hat die Anzahl der zulässigen Netzwerkverbindungen überschritten.",
      "unable-to-connect-to-remote-server",
    ],
    ["fr", "Le scanneur a dépassé le nombre de connexions réseau autorisées.", "unable-to-connect-to-remote-server"],
    ["it", "Lo scanner potrebbe non essere in grado di connettersi al database.", "database-errors"],
    ["ja", "スキャナーが、予想より長い1つのファイルを処理しています。", "stuck-scanner-processes"],
    ["zh-Hans", "扫描仪超出了允许的网络连接数。", "unable-to-connect-to-remote-server"],
    [
      "de",
      "Die Überprüfung kann Ihre MIP-Richtlinien Datei (Microsoft Information Protection) nicht finden.",
      "policy-missing",
    ],
  ])("leads the localized (%s) description '%s' to its section", (lang, text, entry) => {
    const e = explainText(text);
    expect(answered(e)).toEqual([entry]);
    expect(e.languages).toEqual([lang]);
  });

  it("does not take a scanner's other complaint for port exhaustion", () => {
    expect(answered(explainText("The scanner has exceeded its license quota"))).toEqual([]);
  });
});

describe("more AADSTS codes", () => {
  it.each([
    ["AADSTS700082: The refresh token has expired due to inactivity.", /90 days/],
    [
      "AADSTS7000218: The request body must contain the following parameter: 'client_assertion' or 'client_secret'.",
      /-AppSecret/,
    ],
    ["AADSTS700027: Client assertion contains an invalid signature.", /certificate/],
    ["invalid_grant: AADSTS50173: The provided grant has expired due to it being revoked.", /password was changed/],
    [
      "AADSTS500011: The resource principal named https://aadrm.com was not found in the tenant named contoso.",
      /aadrm/,
    ],
    [
      "AcquireToken failed: AADSTS50001: The application named https://api.example was not found in the tenant.",
      /-TenantId/,
    ],
  ])("explains %s as a missing token, code explained", (text, detail) => {
    const e = explainText(text);
    expect(answered(e)).toEqual(["authentication-token-missing"]);
    expect(top(e)?.details.join(" ")).toMatch(detail);
  });

  it("reads a code next to a localized description", () => {
    expect(answered(explainText("AADSTS700027 用戶端宣告包含無效的簽章。"))).toEqual(["authentication-token-missing"]);
  });
});

describe("other wordings", () => {
  it("takes the zh-Hans closed transport stream under a closed-on-send as the TLS case", () => {
    const e = explainText(
      "System.Net.WebException: 基础连接已经关闭: 发送时发生错误。 ---> System.IO.IOException: 由于远程方已关闭传输流，身份验证失败。\n   在 System.Net.TlsStream.EndWrite(IAsyncResult asyncResult)",
    );
    expect(answered(e)).toEqual(["underlying-connection-was-closed"]);
    expect(e.languages).toEqual(["zh-Hans"]);
  });

  it("takes the lab's 'Repositories not added to content scan job' for no repositories", () => {
    expect(answered(explainText("Cause: Repositories not added to content scan job in the Purview portal"))).toEqual([
      "no-repositories-configured",
    ]);
  });
});
