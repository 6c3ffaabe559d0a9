import { describe, expect, it } from "vitest";
import { explainText } from "../../src/knowledge/matcher.js";
import { answered } from "../support/explainAnswers.js";

describe("the TLS case and its look-alikes on localized Windows (issue 16, round 5)", () => {
  it.each([
    ["ja", "WebException: 基になる接続が閉じられました: 送信時に予期しないエラーが発生しました。"],
    ["ko", "기본 연결이 닫혔습니다. 보내기에서 예기치 않은 오류가 발생했습니다."],
    ["zh-Hans", "System.ComponentModel.Win32Exception (0x80090331): 客户端和服务器无法通信，因为它们不具有通用算法。"],
    [
      "fr",
      "System.Net.WebException: La connexion sous-jacente a été fermée : Une erreur inattendue s'est produite lors de l'envoi. ---> System.IO.IOException: Impossible de lire les données de la connexion de transport : une connexion existante a dû être fermée par l’hôte distant.",
    ],
    ["pt-BR", "System.IO.IOException: A autenticação falhou porque a entidade remota fechou o fluxo de transporte."],
  ])("answers the %s wording with the TLS case", (language, text) => {
    const e = explainText(text);
    expect(answered(e)).toEqual(["underlying-connection-was-closed"]);
    expect(e.languages).toEqual([language]);
  });

  it.each([
    ["es", "Se ha terminado la conexión: Error inesperado de recepción", "connection-closed-on-receive"],
    ["ko", "기본 연결이 닫혔습니다. 받기에서 예기치 않은 오류가 발생했습니다.", "connection-closed-on-receive"],
    [
      "ru",
      "WebException: Базовое соединение закрыто: Непредвиденная ошибка при приеме.",
      "connection-closed-on-receive",
    ],
    [
      "pt-BR",
      "A conexão subjacente estava fechada: Uma conexão que deveria permanecer ativa foi fechada pelo servidor.",
      "keep-alive-closed",
    ],
    ["ko", "기본 연결이 닫혔습니다. 활성 상태로 유지될 것으로 예상된 연결이 서버에서 닫혔습니다.", "keep-alive-closed"],
  ])("names the %s look-alike as its own cause: %s", (language, text, cause) => {
    const e = explainText(text);
    expect(answered(e)).toEqual([]);
    expect(e.otherCauses.map((c) => [c.cause.id, c.language])).toEqual([[cause, language]]);
  });

  it("does not take a bare connection reset for the TLS case", () => {
    expect(answered(explainText("现有的连接被远程主机强行关闭"))).toEqual([]);
  });
});
