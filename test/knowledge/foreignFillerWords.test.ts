import { describe, expect, it } from "vitest";
import { explainText } from "../../src/knowledge/matcher.js";
import { answered } from "../support/explainAnswers.js";

describe("filler words of other languages are not evidence (issue 16, round 6)", () => {
  it.each([
    // A German connect timeout shares only "ist fehlgeschlagen, da die" with the TLS case's transport-stream wording.
    "SocketException: Ein Verbindungsversuch ist fehlgeschlagen, da die Gegenstelle nach einer bestimmten Zeitspanne nicht richtig reagiert hat.",
    // A French "socket not connected" shares only articles and prepositions with the closed-on-send wording.
    "System.Net.Sockets.SocketException (10057): Une requête d'envoi ou de réception de données n'a pas été autorisée car le socket n'est pas connecté",
  ])("does not answer '%s' with the TLS case", (text) => {
    expect(answered(explainText(text))).toEqual([]);
  });

  it("still answers the localized TLS wordings themselves", () => {
    expect(
      answered(explainText("Fehler bei der Authentifizierung, da die Gegenseite den Transportstream geschlossen hat.")),
    ).toEqual(["underlying-connection-was-closed"]);
    expect(
      answered(
        explainText("La connexion sous-jacente a été fermée : Une erreur inattendue s'est produite lors de l'envoi."),
      ),
    ).toEqual(["underlying-connection-was-closed"]);
  });
});

describe("throttling and PowerShell 7 in other tools' words", () => {
  it("does not take another API's 429 status line for SharePoint throttling", () => {
    expect(answered(explainText("RESPONSE 429: 429 Too Many Requests\nERROR CODE: ResourceRequestsThrottled"))).toEqual(
      [],
    );
  });

  it("keeps SharePoint's 429s", () => {
    expect(answered(explainText("https://contoso.sharepoint.com/sites/hr: 429 Too Many Requests"))).toEqual([
      "stuck-scanner-processes",
    ]);
    // A bare Graph code names no SharePoint (round 7: another Graph API's 429): tokenAndThrottlingWordings.test.ts.
    expect(
      answered(explainText('/sites/hr/_api/web: {"error": {"code": "TooManyRequests", "message": "Retry later"}}')),
    ).toEqual(["stuck-scanner-processes"]);
  });

  it("recognises PowerShell 7 loading a Windows PowerShell module through WinPSCompatSession", () => {
    const text =
      "WARNING: Module AzureInformationProtection is loaded in Windows PowerShell using WinPSCompatSession remoting session; please note that all input and output of commands from this module will be deserialized objects.";
    expect(answered(explainText(text))).toEqual(["powershell-7-not-supported"]);
  });

  it("reads a Chinese failed login as the database's only beside SQL", () => {
    expect(
      answered(explainText("用户 'sa' 登录失败。\n   在 System.Data.SqlClient.SqlInternalConnectionTds..ctor()")),
    ).toEqual(["database-errors"]);
    expect(answered(explainText("用户 'admin' 登录失败，请检查密码"))).toEqual([]);
  });
});
