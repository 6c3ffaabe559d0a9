import { describe, expect, it } from "vitest";
import { explainText } from "../../src/knowledge/matcher.js";
import { answered } from "../support/explainAnswers.js";

describe("the failed TLS handshake in es, pt-BR, ru, ko, zh-Hant, nl, it and ja", () => {
  // "The request was aborted: Could not create SSL/TLS secure channel." as localized .NET prints it.
  it.each([
    ["es", "System.Net.WebException: Se anuló la solicitud: No se puede crear un canal seguro SSL/TLS."],
    [
      "pt-BR",
      "System.Net.WebException: A solicitação foi anulada: Não foi possível criar um canal seguro para SSL/TLS.",
    ],
    ["ru", "System.Net.WebException: Запрос был прерван: Не удалось создать защищенный канал SSL/TLS."],
    ["ko", "System.Net.WebException: 요청이 중단되었습니다. SSL/TLS 보안 채널을 만들 수 없습니다."],
    ["zh-Hant", "System.Net.WebException: 要求已經中止: 無法建立 SSL/TLS 的安全通道。"],
    ["nl", "System.Net.WebException: De aanvraag is afgebroken: Kan geen beveiligd SSL/TLS-kanaal maken."],
    ["it", "System.Net.WebException: Richiesta annullata: Impossibile creare un canale sicuro SSL/TLS."],
    [
      "ja",
      "System.Net.WebException: 要求は中止されました: SSL/TLS のセキュリティで保護されているチャネルを作成できませんでした。",
    ],
  ])("recognises it in %s and says so", (lang, text) => {
    const e = explainText(text);
    expect(answered(e)).toEqual(["underlying-connection-was-closed"]);
    expect(e.languages).toEqual([lang]);
    expect(e.findings[0]?.candidates[0]?.language).toBe(lang);
  });

  it.each([
    ["pt-BR", "System.IO.IOException: a autenticação falhou porque a parte remota fechou o fluxo de transporte."],
    ["ko", "System.IO.IOException: 원격측에서 전송 스트림을 닫았으므로 인증에 실패했습니다."],
  ])("recognises the closed transport stream in %s", (lang, text) => {
    const e = explainText(text);
    expect(answered(e)).toEqual(["underlying-connection-was-closed"]);
    expect(e.languages).toEqual([lang]);
  });
});

describe("'Unable to connect to the remote server' in newer es and pt-BR wordings", () => {
  it.each([
    [
      "es",
      "No se puede conectar con el servidor remoto",
      "Solo se permite un uso de cada dirección de socket (protocolo/dirección de red/puerto)",
    ],
    [
      "pt-BR",
      "Não é possível conectar-se ao servidor remoto",
      "Normalmente é permitida apenas uma utilização de cada endereço de soquete (protocolo/endereço de rede/porta)",
    ],
  ])("leads to port exhaustion with the inner 10048 in %s", (lang, outer, inner) => {
    const e = explainText(`System.Net.WebException: ${outer} ---> System.Net.Sockets.SocketException: ${inner}`);
    expect(answered(e)).toEqual(["unable-to-connect-to-remote-server"]);
    expect(e.languages).toEqual([lang]);
  });

  it("is no known match with the inner 10060 timeout, named in Portuguese", () => {
    const e = explainText(
      "System.Net.WebException: Não é possível conectar-se ao servidor remoto ---> System.Net.Sockets.SocketException: falha em uma tentativa de conexão porque a parte conectada não respondeu corretamente após um período de tempo",
    );
    expect(answered(e)).toEqual([]);
    expect(e.otherCauses.map((c) => [c.cause.id, c.language])).toEqual([["socket-timed-out", "pt-BR"]]);
  });
});
