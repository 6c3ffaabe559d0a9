import { describe, expect, it } from "vitest";
import { explainText } from "../../src/knowledge/matcher.js";
import { answered } from "../support/explainAnswers.js";

describe("wordings that mean the scanner's problem only in the right company (issue 16, holdout8's misses)", () => {
  it("does not take a bare HTTP 503 for SharePoint throttling", () => {
    const e = explainText("Message: The remote server returned an error: (503) Server Unavailable.");
    expect(answered(e)).toEqual([]);
  });

  it.each([
    "Error: The remote server returned an error: (503) Server Unavailable. Url: https://contoso.sharepoint.com/sites/Finance/_api/web/lists",
    "PnP: The remote server returned an error: (503) Server Unavailable.",
    "The remote server returned an error: (503) Server Unavailable.\nRetry-After: 120",
  ])("answers a 503 beside SharePoint or throttling words with the stuck-scanner advice: %s", (text) => {
    expect(answered(explainText(text))).toEqual(["stuck-scanner-processes"]);
  });

  it("does not answer a 503 and a DNS failure in one paste with throttling or port exhaustion", () => {
    const e = explainText(
      "Error: System.Net.WebException\n\nMessage: Unable to connect to the remote server\nMessage: The remote server returned an error: (503) Server Unavailable.\nMessage: The remote name could not be resolved: 'updates.example.net'",
    );
    expect(answered(e)).toEqual([]);
    expect(e.otherCauses.map((c) => c.cause.id)).toContain("host-unknown");
  });

  it.each([
    "The underlying connection was closed: An unexpected error occurred on a receive.",
    "The underlying connection was closed : An unexpected error occured on a\nreceive",
    "System.Net.WebException: The underlying connection was closed: An unexpected error occurred on a receive. ---> System.IO.IOException: Unable to read data from the transport connection: An existing connection was forcibly closed by the remote host.",
  ])("names a connection closed while reading as its own cause, not the TLS case: %s", (text) => {
    const e = explainText(text);
    expect(answered(e)).toEqual([]);
    expect(e.otherCauses.map((c) => c.cause.id)).toEqual(["connection-closed-on-receive"]);
  });

  it.each([
    ["de", "Die zugrunde liegende Verbindung wurde geschlossen: Unerwarteter Fehler beim Empfangen."],
    ["ja", "基になる接続が閉じられました: 受信時に予期しないエラーが発生しました。"],
  ])("recognises the receive failure in %s too", (language, text) => {
    const e = explainText(text);
    expect(answered(e)).toEqual([]);
    expect(e.otherCauses.map((c) => [c.cause.id, c.language])).toEqual([["connection-closed-on-receive", language]]);
  });

  it("keeps the localized send failure for the TLS case (a shared tail is not the receive wording)", () => {
    expect(answered(explainText("基になる接続が閉じられました: 送信で予期しないエラーが発生しました。"))).toEqual([
      "underlying-connection-was-closed",
    ]);
  });

  it("still answers the TLS case when the receive failure's inner error is a TLS failure", () => {
    const e = explainText(
      "System.Net.WebException: The underlying connection was closed: An unexpected error occurred on a receive. ---> System.ComponentModel.Win32Exception: The client and server cannot communicate, because they do not possess a common algorithm",
    );
    expect(answered(e)).toEqual(["underlying-connection-was-closed"]);
  });

  it("still answers the TLS case on a send", () => {
    expect(
      answered(explainText("The underlying connection was closed: An unexpected error occurred on a send.")),
    ).toEqual(["underlying-connection-was-closed"]);
  });

  it.each([
    "MSAL.Desktop.4.4.0.0.MsalClientException:\n        ErrorCode: get_user_name_failed\nMicrosoft.Identity.Client.MsalClientException: Failed to get user name ---> System.ComponentModel.Win32Exception: No mapping between account names and security IDs was done",
    "AdalException: get_user_name_failed: Failed to get user name",
  ])("sends the token libraries' failed user-name lookup to Authentication token missing: %s", (text) => {
    const e = explainText(text);
    expect(answered(e)).toEqual(["authentication-token-missing"]);
    expect(e.findings[0]?.candidates[0]?.details.join(" ")).toMatch(/integrated Windows/i);
  });

  it("leaves another tool's 'failed to get user name' alone", () => {
    expect(answered(explainText("error: failed to get user name from git config"))).toEqual([]);
  });
});
