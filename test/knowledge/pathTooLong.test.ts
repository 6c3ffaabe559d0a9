import { describe, expect, it } from "vitest";
import { explainText } from "../../src/knowledge/matcher.js";

describe(".NET's PathTooLongException is the scanner's path-too-long case", () => {
  it.each([
    ["en", "System.IO.PathTooLongException: The specified path, file name, or both are too long."],
    ["fr", "Le chemin d’accès spécifié, le nom de fichier ou les deux sont trop longs."],
    [
      "de",
      "Fehler: Der angegebene Pfad und/oder Dateiname ist zu lang. Der vollqualifizierte Dateiname muss weniger als 260 Zeichen umfassen.",
    ],
    ["ja", "System.IO.PathTooLongException: 指定されたパス、ファイル名、またはその両方が長すぎます。"],
    ["zh-Hans", "System.IO.PathTooLongException:“指定的路径或文件名太长，或者两者都太长。”"],
  ])("%s", (language, text) => {
    const e = explainText(text);
    expect(e.verdict).toBe("match");
    expect(e.findings[0]?.candidates[0]?.entry.id).toBe("file-path-too-long");
    expect(e.languages).toEqual(language === "en" ? [] : [language]);
  });

  it("does not take another 'too long' for it", () => {
    expect(explainText("The operation took too long and was canceled by the client.").verdict).not.toBe("match");
  });
});
