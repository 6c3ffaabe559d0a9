import { describe, expect, it } from "vitest";
import { languageCodes } from "../../src/knowledge/languages.js";
import { localizedShellSignatures } from "../../src/knowledge/localizedShellMessages.js";
import { explainText } from "../../src/knowledge/matcher.js";
import { answered } from "../support/explainAnswers.js";

describe("a scanner cmdlet missing in a localized Windows PowerShell (issue 16, round 7)", () => {
  it.each([
    [
      "de",
      `Install-AIPScanner : Die Benennung "Install-AIPScanner" wurde nicht als Name eines Cmdlet, einer Funktion, einer Skriptdatei oder eines ausführbaren
Programms erkannt. Überprüfen Sie die Schreibweise des Namens, oder ob der Pfad korrekt ist (sofern enthalten), und
wiederholen Sie den Vorgang.
In Zeile:1 Zeichen:1
+ Install-AIPScanner
+ ~~~~~~~~~~~~~~~~~~
    + CategoryInfo          : ObjectNotFound: (Install-AIPScanner:String) [], CommandNotFoundException
    + FullyQualifiedErrorId : CommandNotFoundException`,
    ],
    [
      "fr",
      "Start-Scan : Le terme «Start-Scan» n'est pas reconnu comme nom d'applet de commande, fonction, fichier de script ou programme exécutable.",
    ],
    [
      "es",
      "Start-AIPScan : El término 'Start-AIPScan' no se reconoce como nombre de un cmdlet, función, archivo de script o programa ejecutable.",
    ],
    [
      "it",
      "Stop-AIPScan : Termine 'Stop-AIPScan' non riconosciuto come nome di cmdlet, funzione, programma eseguibile o file script.",
    ],
    [
      "ja",
      "Get-ScanStatus : 用語 'Get-ScanStatus' は、コマンドレット、関数、スクリプト ファイル、または操作可能なプログラムの名前として認識されません。",
    ],
    [
      "zh-Hans",
      "Install-Scanner : 无法将“Install-Scanner”项识别为 cmdlet、函数、脚本文件或可运行程序的名称。请检查名称的拼写，如果包括路径，请确保路径正确，然后再试一次。",
    ],
    [
      "zh-Hant",
      "Set-Authentication : 無法辨識 'Set-Authentication' 詞彙是否為 Cmdlet、函數、指令檔或可執行程式的名稱。",
    ],
    [
      "pt-BR",
      "Export-AIPLogs : O termo 'Export-AIPLogs' não é reconhecido como nome de cmdlet, função, arquivo de script ou programa operável.",
    ],
    [
      "ko",
      "Get-AIPScannerStatus : 'Get-AIPScannerStatus' 용어가 cmdlet, 함수, 스크립트 파일 또는 실행할 수 있는 프로그램 이름으로 인식되지 않습니다.",
    ],
    [
      "ru",
      'Install-AIPScanner : Имя "Install-AIPScanner" не распознано как имя командлета, функции, файла сценария или выполняемой программы.',
    ],
    [
      "nl",
      "Install-AIPScanner : De term Install-AIPScanner wordt niet herkend als de naam van een cmdlet, functie, scriptbestand of uitvoerbaar programma.",
    ],
  ])("%s", (language, text) => {
    const e = explainText(text);
    expect(answered(e)).toEqual(["scanner-cmdlet-not-found"]);
    expect(e.languages).toEqual([language]);
  });

  it.each([
    [
      "「」",
      "Get-ScanStatus : 用語「Get-ScanStatus」は、コマンドレット、関数、スクリプト ファイル、または操作可能なプログラムの名前として認識されません。",
    ],
    [
      "„ “ (PowerShell 7)",
      "Install-AIPScanner: Der Begriff „Install-AIPScanner“ wird nicht als Name eines Cmdlets, einer Funktion, einer Skriptdatei oder eines ausführbaren Programms erkannt.",
    ],
    ["« » with spaces", "Start-Scan : Le terme « Start-Scan » n'est pas reconnu comme nom d'applet de commande"],
  ])("reads the cmdlet name inside %s", (_quotes, text) => {
    expect(answered(explainText(text))).toEqual(["scanner-cmdlet-not-found"]);
  });

  it("knows the English category line under any language's message", () => {
    const text =
      "+ CategoryInfo          : ObjectNotFound: (Start-ScannerDiagnostics:String) [], CommandNotFoundException\n+ FullyQualifiedErrorId : CommandNotFoundException";
    expect(answered(explainText(text))).toEqual(["scanner-cmdlet-not-found"]);
  });

  it.each([
    [
      "ja",
      `Import-Module : モジュール ディレクトリに有効なモジュール ファイルが見つからなかったため、指定されたモジュール 'AzureInformationProtection' は読み込まれませんでした。
発生場所 行:1 文字:1
+ Import-Module AzureInformationProtection
    + CategoryInfo          : ResourceUnavailable: (AzureInformationProtection:String) [Import-Module], FileNotFoundException
    + FullyQualifiedErrorId : Modules_ModuleNotFound,Microsoft.PowerShell.Commands.ImportModuleCommand`,
    ],
    [
      "zh-Hans",
      "Import-Module : 未能加载指定的模块“PurviewInformationProtection”，因为在任何模块目录中都没有找到有效模块文件。",
    ],
  ])("the scanner's module not found (%s)", (language, text) => {
    const e = explainText(text);
    expect(answered(e)).toEqual(["scanner-cmdlet-not-found"]);
    expect(e.languages).toEqual([language]);
  });

  it("has the message in every language", () => {
    const languages = new Set(
      (localizedShellSignatures["scanner-cmdlet-not-found"] ?? []).flatMap((s) => s.lang ?? []),
    );
    expect([...languages].sort()).toEqual([...languageCodes].sort());
  });

  it.each([
    `git : Die Benennung "git" wurde nicht als Name eines Cmdlet, einer Funktion, einer Skriptdatei oder eines ausführbaren Programms erkannt.
    + CategoryInfo          : ObjectNotFound: (git:String) [], CommandNotFoundException
    + FullyQualifiedErrorId : CommandNotFoundException`,
    "tesseract : Le terme «tesseract» n'est pas reconnu comme nom d'applet de commande, fonction, fichier de script ou programme exécutable.",
    "Invoke-VulnAD : 无法将“Invoke-VulnAD”项识别为 cmdlet、函数、脚本文件或可运行程序的名称。",
    `Import-Module : 未能加载指定的模块“OfficeWebApps”，因为在任何模块目录中都没有找到有效模块文件。
    + FullyQualifiedErrorId : Modules_ModuleNotFound,Microsoft.PowerShell.Commands.ImportModuleCommand`,
    "Import-Module : モジュール ディレクトリに有効なモジュール ファイルが見つからなかったため、指定されたモジュール 'EPS' は読み込まれませんでした。",
  ])("another product's missing command or module stays without the entry: %s", (text) => {
    expect(answered(explainText(text))).toEqual([]);
  });
});

describe("a scanner cmdlet's null reference in another language", () => {
  it.each([
    ["de", "Set-AIPAuthentication : Der Objektverweis wurde nicht auf eine Objektinstanz festgelegt."],
    ["ja", "Get-ScanStatus: オブジェクト参照がオブジェクト インスタンスに設定されていません。"],
    ["ru", "Get-AIPScannerStatus: Ссылка на объект не указывает на экземпляр объекта."],
  ])("%s", (language, text) => {
    const e = explainText(text);
    expect(answered(e)).toEqual(["powershell-7-not-supported"]);
    expect(e.languages).toEqual([language]);
  });

  it.each([
    "System.NullReferenceException: Der Objektverweis wurde nicht auf eine Objektinstanz festgelegt.",
    "Invoke-FirebirdQuery : Der Objektverweis wurde nicht auf eine Objektinstanz festgelegt.",
    "Type: System.NullReferenceException Message: 未将对象引用设置到对象的实例。",
  ])("stays without the PowerShell 7 answer away from the scanner: %s", (text) => {
    expect(answered(explainText(text))).toEqual([]);
  });
});
