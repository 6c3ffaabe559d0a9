import { describe, expect, it } from "vitest";
import { explanationReply } from "../../src/knowledge/explanationReply.js";
import { knowledgeBase } from "../../src/knowledge/knowledgeBase.js";
import { languageCodes, localizedUrl } from "../../src/knowledge/languages.js";
import { type Explanation, explainText } from "../../src/knowledge/matcher.js";
import { otherCauses } from "../../src/knowledge/otherCauses.js";
import { renderPlainText } from "../../src/reply/plainText.js";
import { answered } from "../support/explainAnswers.js";

const top = (e: Explanation) => e.findings[0]?.candidates[0];

describe("other languages", () => {
  // WinSock 10048 as localized Windows prints it, inside the article's chain, one per language.
  const addressInUse: [string, string][] = [
    [
      "fr",
      "Une seule utilisation de chaque adresse de socket (protocole/adresse réseau/port) est normalement autorisée",
    ],
    [
      "de",
      "Normalerweise darf jede Socketadresse (Protokoll, Netzwerkadresse oder Anschluss) nur jeweils einmal verwendet werden",
    ],
    ["es", "Solo se permite un uso de cada dirección de socket (protocolo/dirección de red/puerto)"],
    ["it", "In genere è consentito un solo utilizzo di ogni indirizzo di socket (protocollo/indirizzo di rete/porta)"],
    [
      "pt-BR",
      "Normalmente é permitida apenas uma utilização de cada endereço de soquete (protocolo/endereço de rede/porta)",
    ],
    ["nl", "Elk socketadres (protocol/netwerkadres/poort) kan normaal slechts één keer worden gebruikt"],
    ["ru", "Обычно разрешается только одно использование адреса сокета (протокол/сетевой адрес/порт)"],
    [
      "ja",
      "通常、各ソケット アドレスに対してプロトコル、ネットワーク アドレス、またはポートのどれか 1 つのみを使用できます。",
    ],
    ["ko", "각 소켓 주소(프로토콜/네트워크 주소/포트)는 하나만 사용할 수 있습니다"],
    ["zh-Hans", "通常每个套接字地址(协议/网络地址/端口)只允许使用一次。"],
    ["zh-Hant", "一次只能用一個通訊端位址 (通訊協定/網路位址/連接埠)。"],
  ];

  it.each(addressInUse)("recognises the port-exhaustion socket error in %s", (lang, message) => {
    const e = explainText(`System.Net.Sockets.SocketException (0x80004005): ${message} 40.90.4.11:443`);
    expect(answered(e)).toEqual(["unable-to-connect-to-remote-server"]);
    expect(top(e)?.language).toBe(lang);
    expect(e.languages).toEqual([lang]);
  });

  it("covers every language it claims", () => {
    expect(new Set(addressInUse.map(([lang]) => lang))).toEqual(new Set(languageCodes));
  });

  it("tolerates machine-translated spacing inside the .NET namespace", () => {
    const e = explainText(
      "Impossible de se connecter au serveur distant---> System .net. Sockets. SocketException : une seule utilisation de chaque adresse de socket",
    );
    expect(answered(e)).toEqual(["unable-to-connect-to-remote-server"]);
    expect(top(e)?.language).toBe("fr");
  });

  it("folds full-width and compatibility characters (NFKC) before matching", () => {
    expect(answered(explainText("ＳｃｈｅｍａＭｉｓｍａｔｃｈＥｘｃｅｐｔｉｏｎ"))).toEqual([
      "mismatched-or-outdated-schema",
    ]);
    expect(answered(explainText("DB ｓｃｈｅｍａ ｉｓ ｎｏｔ ｕｐ ｔｏ ｄａｔｅ"))).toEqual([
      "mismatched-or-outdated-schema",
    ]);
  });

  it("matches Chinese and Japanese text that has no ASCII letter at all", () => {
    expect(answered(explainText("找不到群集"))).toEqual(["no-cluster-found"]);
    expect(answered(explainText("基になる接続が閉じられました: 送信で予期しないエラーが発生しました。"))).toEqual([
      "underlying-connection-was-closed",
    ]);
  });

  it("answers in English, names the language and links the localized article", () => {
    const text = renderPlainText(
      explanationReply(explainText("Invoke-WebRequest : 基础连接已经关闭: 发送时发生错误。")),
    );
    expect(text).toContain("Recognised language: Chinese (Simplified)");
    expect(text).toContain("https://learn.microsoft.com/zh-cn/troubleshoot/microsoft-365/purview/");
    expect(text).toContain("How to fix it:");
  });

  it("builds localized links by replacing, not stacking, a locale", () => {
    expect(localizedUrl("https://learn.microsoft.com/en-us/purview/x#a", "ja")).toBe(
      "https://learn.microsoft.com/ja-jp/purview/x#a",
    );
    expect(localizedUrl("https://support.microsoft.com/office/y", "pt-BR")).toBe(
      "https://support.microsoft.com/pt-br/office/y",
    );
  });
});

describe("token libraries (ADAL / MSAL)", () => {
  const cases: [string, string, RegExp][] = [
    [
      "Microsoft.Identity.Client.MsalServiceException: A configuration issue is preventing authentication. Original exception: AADSTS7000215: Invalid client secret provided.",
      "authentication-token-missing",
      /secret's ID instead of its value/,
    ],
    [
      "AADSTS7000222: The provided client secret keys for app 'x' are expired.",
      "authentication-token-missing",
      /end date/,
    ],
    [
      "AdalServiceException: AADSTS700016: Application with identifier 'x' was not found in the directory 'y'.",
      "authentication-token-missing",
      /no app registration/,
    ],
    [
      "AADSTS50126: Error validating credentials due to invalid username or password.",
      "authentication-token-missing",
      /DelegatedUser/,
    ],
    [
      "MsalUiRequiredException: AADSTS53003: Access has been blocked by Conditional Access policies.",
      "authentication-token-missing",
      /Conditional Access/,
    ],
    [
      "Microsoft.Identity.Client.MsalUiRequiredException: No account or login hint was passed to the AcquireTokenSilent call.",
      "authentication-token-missing",
      /token cache has no account/,
    ],
    [
      "Microsoft.IdentityModel.Clients.ActiveDirectory.AdalSilentTokenAcquisitionException: Failed to acquire token silently as no token was found in the cache. Call method AcquireToken",
      "authentication-token-missing",
      /token cache has no account/,
    ],
    [
      "Microsoft.Identity.Client.MsalClientException: Integrated Windows Auth is not supported for managed users.",
      "authentication-token-missing",
      /federated accounts/,
    ],
    [
      "AdalServiceException: AADSTS65001: The user or administrator has not consented to use the application with ID 'x'.",
      "authentication-token-not-accepted",
      /Grant admin consent/,
    ],
  ];

  it.each(cases)("%s", (text, entry, detail) => {
    const e = explainText(text);
    expect(answered(e)).toEqual([entry]);
    expect(top(e)?.details.join(" ")).toMatch(detail);
  });

  it("keeps the code's explanation when an outer wrapper ends in an HTTP 401", () => {
    const e = explainText(
      "Microsoft.IdentityModel.Clients.ActiveDirectory.AdalServiceException: AADSTS70002: Error validating credentials. AADSTS50012: Invalid client secret is provided. ---> System.Net.WebException: The remote server returned an error: (401) Unauthorized.",
    );
    expect(answered(e)).toEqual(["authentication-token-missing"]);
    const text = renderPlainText(explanationReply(e));
    expect(text).toContain("What the error's code says:");
    expect(text).toContain("AADSTS50012");
  });
});

describe("look-alikes", () => {
  const lookAlikes: [string, string][] = [
    [
      "System.Net.WebException: Unable to connect to the remote server ---> System.Net.Sockets.SocketException: An attempt was made to access a socket in a way forbidden by its access permissions 198.245.62.104:80",
      "socket-access-forbidden",
    ],
    [
      "Unable to connect to the remote server ---> System.Net.Sockets.SocketException: A connection attempt failed because the connected party did not properly respond after a period of time",
      "socket-timed-out",
    ],
    [
      "Impossible de se connecter au serveur distant ---> System.Net.Sockets.SocketException: Aucune connexion n’a pu être établie car l’ordinateur cible l’a expressément refusée 10.0.0.5:443",
      "socket-refused",
    ],
    [
      "Unable to connect to the remote server ---> System.Net.Sockets.SocketException: No such host is known",
      "host-unknown",
    ],
    [
      "System.Net.WebException: The underlying connection was closed: Could not establish trust relationship for the SSL/TLS secure channel. ---> System.Security.Authentication.AuthenticationException: The remote certificate is invalid according to the validation procedure.",
      "tls-certificate-not-trusted",
    ],
    [
      "The underlying connection was closed: A connection that was expected to be kept alive was closed by the server.",
      "keep-alive-closed",
    ],
  ];

  it.each(lookAlikes)("%s is not the article's case", (text, cause) => {
    const e = explainText(text);
    expect(e.verdict).toBe("no_match");
    expect(e.otherCauses.map((c) => c.cause.id)).toEqual([cause]);
    const reply = renderPlainText(explanationReply(e));
    expect(reply).toContain("No known match");
    expect(reply).toContain("What the error does say");
  });

  it("still gives the article's fix for 10048, and for TLS failing on send in other words", () => {
    expect(
      answered(
        explainText(
          "Unable to connect to the remote server ---> System.Net.Sockets.SocketException: Only one usage of each socket address (protocol/network address/port) is normally permitted 10.1.1.1:443",
        ),
      ),
    ).toEqual(["unable-to-connect-to-remote-server"]);
    for (const tls of [
      "System.Net.WebException: The request was aborted: Could not create SSL/TLS secure channel.",
      "System.ComponentModel.Win32Exception (0x80004005): The client and server cannot communicate, because they do not possess a common algorithm",
    ]) {
      expect(answered(explainText(tls)), tls).toEqual(["underlying-connection-was-closed"]);
    }
  });

  it("does not take a bare 'connection forcibly closed' for the TLS case", () => {
    expect(
      answered(
        explainText(
          "System.Net.Sockets.SocketException: 'An existing connection was forcibly closed by the remote host'",
        ),
      ),
    ).toEqual([]);
  });
});

describe("other wordings of known sections", () => {
  it.each([
    [
      "Microsoft.SharePoint.SPQueryThrottledException: The attempted operation is prohibited because it exceeds the list view threshold enforced by the administrator.",
      "stuck-scanner-processes",
    ],
    ["The remote server returned an error: (429) Too Many Requests.", "stuck-scanner-processes"],
    [
      "Start-Scan : The term 'Start-Scan' is not recognized as the name of a cmdlet, function, script file, or operable program.",
      "scanner-cmdlet-not-found",
    ],
  ])("%s", (text, entry) => {
    expect(answered(explainText(text))).toEqual([entry]);
  });
});

describe("sources", () => {
  it("cites a source for every localized, token-library and other-cause wording", () => {
    for (const entry of knowledgeBase) {
      for (const s of entry.signatures) {
        if (s.lang || s.detail) expect(s.source, `${entry.id}: ${s.phrase}`).toBeDefined();
      }
    }
    for (const cause of otherCauses) {
      for (const s of cause.signatures) expect(s.source, `${cause.id}: ${s.phrase}`).toBeDefined();
      expect(cause.shadows.every((id) => knowledgeBase.some((e) => e.id === id))).toBe(true);
    }
  });
});
