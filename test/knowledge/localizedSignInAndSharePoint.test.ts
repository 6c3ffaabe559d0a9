import { describe, expect, it } from "vitest";
import { explainText } from "../../src/knowledge/matcher.js";
import { answered } from "../support/explainAnswers.js";

describe("Microsoft Entra's account and app sign-in failures in other languages (no AADSTS code in the paste)", () => {
  it.each([
    [
      "fr",
      "Connect-AipService : le compte est verrouillé, car l'utilisateur a essayé de se connecter un trop grand nombre de fois avec un ID d'utilisateur ou un mot de passe incorrects.",
      /AADSTS50053/,
    ],
    [
      "de",
      "Fehler beim Überprüfen der Anmeldeinformationen aufgrund eines ungültigen Benutzernamens oder Kennworts.",
      /AADSTS50126/,
    ],
    ["it", "Set-AIPAuthentication : l'applicazione non è stata trovata nella directory o nel tenant.", /AADSTS700016/],
    ["es", "para iniciar sesión en esta aplicación, la cuenta debe agregarse al directorio.", /AADSTS50034/],
    ["ja", "ディレクトリまたはテナントにアプリケーションが見つかりませんでした。", /AADSTS700016/],
    ["zh-Hans", "无效的用户名或密码导致验证凭据时出错。", /AADSTS50126/],
    ["zh-Hant", "帳戶遭到鎖定，因為使用者嘗試使用不正確的使用者識別碼或密碼登入太多次。", /AADSTS50053/],
    [
      "pt-BR",
      "A conta está bloqueada porque o usuário tentou entrar muitas vezes com uma ID de usuário ou senha incorreta.",
      /AADSTS50053/,
    ],
    ["ko", "디렉터리/테넌트에서 애플리케이션을 찾지 못했습니다.", /AADSTS700016/],
    ["ru", "Set-AIPAuthentication : имя клиента не найдено в хранилище данных.", /AADSTS90002/],
    [
      "nl",
      "fout bij het valideren van referenties vanwege een ongeldige gebruikers naam of wacht woord.",
      /AADSTS50126/,
    ],
    ["de", "Azure AD: Das Kennwort ist abgelaufen.", /AADSTS50055/],
  ])("%s: %s", (language, text, detail) => {
    const e = explainText(text);
    expect(answered(e)).toEqual(["authentication-token-missing"]);
    expect(e.languages).toEqual([language]);
    expect(e.findings[0]?.candidates[0]?.details.join(" ")).toMatch(detail);
  });

  it.each([
    [
      "pt-BR",
      "O usuário ou administrador não consentiu em usar o aplicativo com o ID '00000012-0000-0000-c000-000000000000'. Envie uma solicitação de autorização interativa para esse usuário e recurso.",
    ],
    [
      "de",
      'Der Benutzer oder Administrator hat der Verwendung der Anwendung mit der ID "1950a258" nicht zugestimmt. Senden Sie eine interaktive Autorisierungsanforderung für diesen Benutzer und diese Ressource.',
    ],
    ["ja", "Azure AD: 管理者の同意が必要です。"],
  ])("%s consent missing reaches 'not accepted'", (language, text) => {
    const e = explainText(text);
    expect(answered(e)).toEqual(["authentication-token-not-accepted"]);
    expect(e.languages).toEqual([language]);
  });

  it.each([
    "Das Kennwort ist abgelaufen.",
    "la contraseña ha expirado. Cambie su contraseña de Windows.",
    "密码已过期。",
    "Windows: Das Benutzerkonto ist deaktiviert. Wenden Sie sich an Ihren Administrator.",
    "管理者の同意が必要です。",
    "Die Zustimmung des Administrators ist erforderlich.",
  ])("a generic sentence without sign-in words stays unanswered: '%s'", (text) => {
    expect(answered(explainText(text))).toEqual([]);
  });
});

describe("SharePoint's list view threshold and throttling in other languages", () => {
  it.each([
    [
      "ja",
      'Microsoft.SharePoint.SPQueryThrottledException","message":{"lang":"ja-JP","value":"管理者によって適用されたリストビューのしきい値を超えたため、試行された操作を実行できません。"},"status":500',
    ],
    ["zh-Hans", "不允许执行所尝试的操作，因为它已超过管理员规定的列表视图阈值。"],
    [
      "de",
      "Diese Ansicht kann nicht angezeigt werden, weil sie den Schwellenwert der Listenansicht (5000 Elemente) überschreitet, der vom Administrator erzwungen wird.",
    ],
  ])("%s", (language, text) => {
    const e = explainText(text);
    expect(answered(e)).toEqual(["stuck-scanner-processes"]);
    expect(e.languages).toEqual([language]);
  });

  it.each(["Zu viele Anforderungen", "GitHub API: Trop de requêtes"])(
    "another API's throttling words stay without the SharePoint advice: '%s'",
    (text) => {
      expect(answered(explainText(text))).toEqual([]);
    },
  );
});
