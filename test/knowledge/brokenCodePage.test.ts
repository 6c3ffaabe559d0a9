import { describe, expect, it } from "vitest";
import { repairMojibake } from "../../src/knowledge/errorText.js";
import { explainText } from "../../src/knowledge/matcher.js";
import { answered } from "../support/explainAnswers.js";

describe("a UTF-8 log pasted through Latin-1 (broken code page)", () => {
  it("is read as the characters it stood for", () => {
    expect(repairMojibake("interrupciÃ³n de una conexiÃ³n")).toBe("interrupción de una conexión");
    expect(repairMojibake("Die zugrunde liegende Verbindung wurde geschlossen: Unerwarteter Fehler beim Senden")).toBe(
      "Die zugrunde liegende Verbindung wurde geschlossen: Unerwarteter Fehler beim Senden",
    );
    // Accented text that was never broken stays as it is.
    expect(repairMojibake("façade, café, Ã  la carte")).toBe("façade, café, Ã  la carte");
  });

  it("still reaches the TLS case when the inner reset is in broken Spanish", () => {
    const e = explainText(
      [
        "Error Jackett.Common.IndexerException: Exception (site): Se ha forzado la interrupciÃ³n de una conexiÃ³n existente por el host remoto.",
        " ---> System.Net.Http.HttpRequestException: The SSL connection could not be established, see inner exception.",
        " ---> System.IO.IOException: Unable to read data from the transport connection: Se ha forzado la interrupciÃ³n de una conexiÃ³n existente por el host remoto..",
        " ---> System.Net.Sockets.SocketException (10054): Se ha forzado la interrupciÃ³n de una conexiÃ³n existente por el host remoto.",
      ].join("\n"),
    );
    expect(answered(e)).toEqual(["underlying-connection-was-closed"]);
  });
});
