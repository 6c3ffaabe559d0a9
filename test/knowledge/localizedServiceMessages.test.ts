import { describe, expect, it } from "vitest";
import { languageCodes } from "../../src/knowledge/languages.js";
import { localizedServiceSignatures } from "../../src/knowledge/localizedServiceMessages.js";
import { explainText } from "../../src/knowledge/matcher.js";
import { answered } from "../support/explainAnswers.js";

describe("the scanner's database errors on a localized server (issue 16, round 5)", () => {
  it.each([
    [
      "fr",
      "System.Data.SqlClient.SqlException (0x80131904): Une erreur liée au réseau ou spécifique à l'instance s'est produite lors de l'établissement d'une connexion à SQL Server.",
    ],
    [
      "ko",
      'SqlException: 로그인에서 요청된 데이터베이스 "AIPScannerUL_Europe"을(를) 열 수 없습니다. 로그인이 실패했습니다.',
    ],
    ["es", "SqlException (0x80131904): Error de inicio de sesión del usuario 'CONTOSO\\svc-scanner'."],
    ["zh-Hant", "無法開啟 SQL Server 連線 (provider: Named Pipes Provider, error: 40)"],
    ["ru", 'Сообщение 18456, уровень 14, состояние 5. Ошибка входа пользователя "CONTOSO\\scanner".'],
  ])("%s", (language, text) => {
    const e = explainText(text);
    expect(answered(e)).toEqual(["database-errors"]);
    expect(e.languages).toEqual([language]);
  });

  it("knows SqlClient's network error in every language", () => {
    const languages = new Set(
      (localizedServiceSignatures["database-errors"] ?? []).filter((s) => s.weight >= 0.9).map((s) => s.lang),
    );
    expect([...languages].sort()).toEqual([...languageCodes].sort());
  });

  it.each([
    "Le serveur est introuvable ou n'est pas accessible.",
    "Worker process 18456 exited with code 0",
    "Ошибка входа пользователя в личный кабинет",
  ])("does not answer '%s' with the database advice", (text) => {
    expect(answered(explainText(text))).toEqual([]);
  });
});

describe("Microsoft Entra's sign-in failures in other languages", () => {
  it.each([
    ["it", "Viene fornito un segreto client non valido.", /AADSTS7000215/],
    ["zh-Hans", "条件访问策略已阻止访问。 访问策略不允许令牌颁发。", /Conditional Access/],
    ["de", "Die angegebenen geheimen Clientschlüssel sind abgelaufen.", /expired/],
    [
      "ko",
      "관리자가 구성을 변경했거나 사용자가 새 위치로 이동했기 때문에 사용자는 다단계 인증을 사용해야 합니다.",
      /Multi-factor/,
    ],
  ])("%s", (language, text, detail) => {
    const e = explainText(text);
    expect(answered(e)).toEqual(["authentication-token-missing"]);
    expect(e.languages).toEqual([language]);
    expect(e.findings[0]?.candidates[0]?.details.join(" ")).toMatch(detail);
  });
});
