import type { SignatureInput } from "./knowledgeEntry.js";
import type { LanguageCode } from "./languages.js";
import { scannerCmdletNames } from "./sectionWordings.js";

/**
 * What PowerShell prints on a localized Windows when a scanner cmdlet or module cannot be found, and .NET
 * Framework's localized null reference that a scanner cmdlet throws outside Windows PowerShell 5.1 (issue 16,
 * round 7). Windows PowerShell 5.1's own texts are not published; they are taken from admins' pastes. PowerShell 7
 * words them differently, and its localized resource files are public (PowerShell/PowerShell
 * `src/System.Management.Automation/resources/<lang>/`). Each wording cites where it was seen.
 *
 * What stays English in every language: the `+ CategoryInfo : ObjectNotFound: (<name>:String) [],
 * CommandNotFoundException` and `+ FullyQualifiedErrorId : CommandNotFoundException` lines of a missing command and
 * the `FullyQualifiedErrorId : Modules_ModuleNotFound,Microsoft.PowerShell.Commands.ImportModuleCommand` line of
 * a missing module (every paste cited below shows them so); only the position line is localized ("In Zeile:1
 * Zeichen:1", "Au caractère Ligne:1 : 1", "発生場所 行:1 文字:1", "所在位置 行:1 字符: 1"…), which says nothing.
 */

/** A localized wording, as seen. */
function seen(lang: LanguageCode, phrase: string, weight: number, source: string): SignatureInput {
  return { phrase, weight, lang, source };
}

const ps7 = "https://github.com/PowerShell/PowerShell/blob/929903692e550140efb5042ed05d65bfd21ccb5f";
/** PowerShell 7's CommandNotFoundException text in one language. */
const ps7Discovery = (lang: LanguageCode) =>
  `${ps7}/src/System.Management.Automation/resources/${lang}/DiscoveryExceptions.${lang}.resx (CommandNotFoundException)`;
/** PowerShell 7's Import-Module ModuleNotFound text in one language. */
const ps7Modules = (lang: LanguageCode) =>
  `${ps7}/src/System.Management.Automation/resources/${lang}/Modules.${lang}.resx (ModuleNotFound)`;
const pasted = (fragment: string, where: string) => `GitHub code search for "${fragment}" (${where})`;

/**
 * "The term 'X' is not recognized as the name of a cmdlet, function, script file, or operable program." Any
 * command can be missing, so each wording weighs what the English one does (0.55): a scanner cmdlet's name beside
 * it (sectionWordings.ts) makes the match; another product's command stays a weak lead. The name sits inside the
 * localized quotes (« », „ “, “ ”, 「 」, ' '), which the tokenizer drops like any punctuation.
 */
const notRecognized = 0.55;
const commandNotFoundWordings: SignatureInput[] = [
  // Windows PowerShell 5.1, as pasted.
  seen(
    "de",
    "wurde nicht als Name eines Cmdlet, einer Funktion, einer Skriptdatei oder eines ausführbaren Programms erkannt",
    notRecognized,
    pasted(
      "wurde nicht als Name eines Cmdlet",
      'uv : Die Benennung "uv" wurde nicht als Name eines Cmdlet …, with CategoryInfo',
    ),
  ),
  seen(
    "de",
    "wurde nicht als Name eines Cmdlet",
    notRecognized,
    pasted(
      "wurde nicht als Name eines Cmdlet",
      'psql : Die Benennung "psql" wurde nicht als Name eines Cmdlet ... erkannt.',
    ),
  ),
  seen(
    "fr",
    "n'est pas reconnu comme nom d'applet de commande",
    notRecognized,
    pasted(
      "n'est pas reconnu comme nom d'applet de commande",
      "tesseract : Le terme «tesseract» n'est pas reconnu comme nom d'applet de commande, fonction, fichier de script ou programme exécutable.",
    ),
  ),
  seen(
    "es",
    "no se reconoce como nombre de un cmdlet",
    notRecognized,
    pasted(
      "no se reconoce como nombre de un cmdlet",
      "streamlit : El término 'streamlit' no se reconoce como nombre de un cmdlet, función, archivo de script o programa ejecutable.",
    ),
  ),
  seen(
    "it",
    "non riconosciuto come nome di cmdlet, funzione, programma eseguibile o file script",
    notRecognized,
    pasted(
      "funzione, programma eseguibile o file script",
      "nvcc : Termine 'nvcc' non riconosciuto come nome di cmdlet, funzione, programma eseguibile o file script. … In riga:1 car:1",
    ),
  ),
  seen(
    "it",
    "non riconosciuto come nome di cmdlet",
    notRecognized,
    pasted(
      "funzione, programma eseguibile o file script",
      "Termine 'ssh-copy-id' non riconosciuto come nome di cmdlet",
    ),
  ),
  seen(
    "ja",
    "は、コマンドレット、関数、スクリプト ファイル、または操作可能なプログラムの名前として認識されません",
    notRecognized,
    pasted(
      "スクリプト ファイル、または操作可能なプログラムの名前として認識されません",
      "gemini : 用語 'gemini' は、コマンドレット、関数、… 発生場所 行:1 文字:1, with CategoryInfo",
    ),
  ),
  seen(
    "zh-Hans",
    "项识别为 cmdlet、函数、脚本文件或可运行程序的名称",
    notRecognized,
    "https://github.com/safebuffer/vulnerable-AD/issues/16",
  ),
  seen(
    "zh-Hant",
    "詞彙是否為 Cmdlet、函數、指令檔或可執行程式的名稱",
    notRecognized,
    pasted(
      "函數、指令檔或可執行程式的名稱",
      "codex : 無法辨識 'codex' 詞彙是否為 Cmdlet、函數、指令檔或可執行程式的名稱。… 位於 線路:1 字元:1",
    ),
  ),
  seen(
    "pt-BR",
    "não é reconhecido como nome de cmdlet, função, arquivo de script ou programa operável",
    notRecognized,
    pasted(
      "não é reconhecido como nome de cmdlet",
      "json-server : O termo 'json-server' não é reconhecido como nome de cmdlet, função, arquivo de script ou programa operável. … No linha:1 caractere:1",
    ),
  ),
  seen(
    "pt-BR",
    "não é reconhecido como nome de cmdlet",
    notRecognized,
    pasted("não é reconhecido como nome de cmdlet", "node : O termo 'node' não é reconhecido como nome de cmdlet"),
  ),
  seen(
    "ko",
    "cmdlet, 함수, 스크립트 파일 또는 실행할 수 있는 프로그램 이름으로 인식되지 않습니다",
    notRecognized,
    "https://github.com/microsoft/vscode/issues/137991",
  ),
  seen(
    "ru",
    "не распознано как имя командлета, функции, файла сценария или выполняемой программы",
    notRecognized,
    pasted(
      "не распознано как имя командлета",
      'git : Имя "git" не распознано как имя командлета, функции, файла сценария или выполняемой программы. … строка:1 знак:1',
    ),
  ),
  // The console wraps Russian lines inside words ("правильнос/ть"): the start of the sentence on its own.
  seen(
    "ru",
    "не распознано как имя командлета",
    notRecognized,
    pasted("не распознано как имя командлета", 'python : Имя "python" не распознано как имя командлета, функции...'),
  ),
  seen(
    "nl",
    "wordt niet herkend als de naam van een cmdlet, functie, scriptbestand of uitvoerbaar programma",
    notRecognized,
    pasted(
      "scriptbestand of uitvoerbaar programma",
      "fastapi : De term fastapi wordt niet herkend als de naam van een cmdlet, functie, scriptbestand of uitvoerbaar programma.",
    ),
  ),
  seen(
    "nl",
    "wordt niet herkend als de naam van een cmdlet",
    notRecognized,
    pasted(
      "niet herkend als de naam van een cmdlet",
      "Get-WBJob: de term 'Get-WBJob' wordt niet herkend als de naam van een cmdlet, functie, scriptbestand of programma (Microsoft's nl-nl Azure Backup docs)",
    ),
  ),
  // PowerShell 7 (no Dutch resources). French and Spanish word it as 5.1 does, so they are covered above.
  seen(
    "de",
    "wird nicht als Name eines Cmdlets, einer Funktion, einer Skriptdatei oder eines ausführbaren Programms erkannt",
    notRecognized,
    ps7Discovery("de"),
  ),
  seen("de", "wird nicht als Name eines Cmdlets", notRecognized, ps7Discovery("de")),
  seen("it", "non è riconosciuto come nome di un cmdlet", notRecognized, ps7Discovery("it")),
  seen(
    "ja",
    "は、コマンドレット、関数、スクリプト ファイル、または実行可能プログラムの名前として認識されません",
    notRecognized,
    ps7Discovery("ja"),
  ),
  seen("zh-Hans", "不会被识别为 cmdlet、函数、脚本文件或可执行程序的名称", notRecognized, ps7Discovery("zh-Hans")),
  seen("zh-Hant", "字詞辨識為 Cmdlet、函式、指令檔或可執行程式的名稱", notRecognized, ps7Discovery("zh-Hant")),
  seen("pt-BR", "não é reconhecido como um nome de um cmdlet", notRecognized, ps7Discovery("pt-BR")),
  seen(
    "ko",
    "cmdlet, 함수, 스크립트 파일 또는 실행 프로그램의 이름으로 인식되지 않습니다",
    notRecognized,
    ps7Discovery("ko"),
  ),
  seen("ru", "не распознается как имя, которое является именем для выполнения", notRecognized, ps7Discovery("ru")),
];

/**
 * The English category line names the missing command: "ObjectNotFound: (Install-AIPScanner:String) [],
 * CommandNotFoundException". With a scanner cmdlet in it, that line alone says which command was missing, whatever
 * the language of the message above it (or when only the error record's lines were copied).
 */
const categoryLines: SignatureInput[] = scannerCmdletNames.map(({ phrase }) => ({
  phrase: `ObjectNotFound: (${phrase}:String)`,
  weight: 0.6,
  source: pasted("ObjectNotFound: (", "every localized CommandNotFoundException paste cited in this file"),
  onlyWith: ["commandnotfoundexception"],
}));

/**
 * "The specified module 'X' was not loaded because no valid module file was found in any module directory." Told only
 * beside the scanner's own modules: any module can be missing.
 */
const scannerModules = ["azureinformationprotection", "purviewinformationprotection"];
const moduleNotFound = (lang: LanguageCode, phrase: string, source: string): SignatureInput => ({
  ...seen(lang, phrase, 0.6, source),
  onlyWith: scannerModules,
});
const moduleNotFoundWordings: SignatureInput[] = [
  // The error record's id, the same in every language.
  {
    phrase: "Modules_ModuleNotFound",
    weight: 0.6,
    source: pasted(
      "有効なモジュール ファイルが見つからなかった",
      "Import-Module EPS on PowerShell 5.1 ja-JP: FullyQualifiedErrorId : Modules_ModuleNotFound,Microsoft.PowerShell.Commands.ImportModuleCommand",
    ),
    onlyWith: scannerModules,
  },
  // Windows PowerShell 5.1, as pasted or quoted.
  moduleNotFound(
    "ja",
    "モジュール ディレクトリに有効なモジュール ファイルが見つからなかったため、指定されたモジュール",
    pasted(
      "有効なモジュール ファイルが見つからなかった",
      "Import-Module : モジュール ディレクトリに有効なモジュール ファイルが見つからなかったため、指定されたモジュール 'EPS' は読み込まれませんでした。",
    ),
  ),
  moduleNotFound(
    "zh-Hans",
    "因为在任何模块目录中都没有找到有效模块文件",
    pasted(
      "都没有找到有效模块文件",
      "Import-Module : 未能加载指定的模块“OfficeWebApps”，因为在任何模块目录中都没有找到有效模块文件。 所在位置 行:1 字符: 1",
    ),
  ),
  moduleNotFound(
    "de",
    "wurde nicht geladen, da in einem Modulverzeichnis keine gültige Moduldatei gefunden wurde",
    pasted(
      "keine gültige Moduldatei gefunden",
      "Microsoft's de-de Skype for Business Cloud Connector troubleshooting page quoting Import-Module",
    ),
  ),
  // PowerShell 7's resources.
  moduleNotFound(
    "de",
    "wurde nicht geladen, da in keinem Modulverzeichnis eine gültige Moduldatei gefunden wurde",
    ps7Modules("de"),
  ),
  moduleNotFound("fr", "aucun fichier de module valide n'a été trouvé", ps7Modules("fr")),
  moduleNotFound("es", "porque no se encontró ningún archivo de módulo válido", ps7Modules("es")),
  moduleNotFound("it", "non è stato trovato alcun file di modulo valido", ps7Modules("it")),
  moduleNotFound(
    "ja",
    "モジュール ディレクトリに有効なモジュール ファイルが見つからなかったため読み込まれませんでした",
    ps7Modules("ja"),
  ),
  moduleNotFound("zh-Hans", "因为在所有模块目录中都未找到有效的模块文件", ps7Modules("zh-Hans")),
  moduleNotFound("zh-Hant", "因為在任何模組目錄中都找不到有效的模組檔案", ps7Modules("zh-Hant")),
  moduleNotFound("pt-BR", "nenhum arquivo de módulo válido foi encontrado", ps7Modules("pt-BR")),
  moduleNotFound(
    "ko",
    "어떤 모듈 디렉터리에서도 유효한 모듈 파일을 찾을 수 없어 로드되지 않았습니다",
    ps7Modules("ko"),
  ),
  moduleNotFound("ru", "ни в одном каталоге модулей не найден допустимый файл модуля", ps7Modules("ru")),
];

/**
 * .NET Framework's "Object reference not set to an instance of an object." A localized one comes from .NET Framework
 * (.NET Core does not localize exception messages: https://github.com/dotnet/core/issues/2770), i.e. a Windows
 * PowerShell session, or the one PowerShell 7 remotes into for a Windows PowerShell module (WinPSCompatSession). It
 * is also any .NET program's commonest error, so it counts only beside a scanner cmdlet or a PowerShell 7 word,
 * where it weighs what the English one does.
 */
const pwshContext = [
  ...scannerCmdletNames.map(({ phrase }) => phrase.toLowerCase()),
  "pwsh",
  "powershell 7",
  "winpscompatsession",
];
const nullReference = (lang: LanguageCode, phrase: string, source: string): SignatureInput => ({
  ...seen(lang, phrase, 0.55, source),
  onlyWith: pwshContext,
});
const nullReferenceWordings: SignatureInput[] = [
  nullReference(
    "de",
    "Der Objektverweis wurde nicht auf eine Objektinstanz festgelegt",
    pasted(
      "Objektverweis wurde nicht auf eine Objektinstanz",
      "Invoke-FirebirdQuery : Der Objektverweis wurde nicht auf eine Objektinstanz festgelegt. In Zeile:1 Zeichen:1",
    ),
  ),
  nullReference(
    "fr",
    "La référence d'objet n'est pas définie à une instance d'un objet",
    pasted(
      "référence d'objet n'est pas définie à une instance",
      "System.NullReferenceException: La référence d'objet n'est pas définie à une instance d'un objet.",
    ),
  ),
  nullReference(
    "es",
    "Referencia a objeto no establecida como instancia de un objeto",
    pasted(
      "Referencia a objeto no establecida como instancia",
      "System.NullReferenceException: 'Referencia a objeto no establecida como instancia de un objeto.'",
    ),
  ),
  nullReference(
    "it",
    "Riferimento a un oggetto non impostato su un'istanza di oggetto",
    pasted(
      "Riferimento a un oggetto non impostato",
      "System.NullReferenceException: Riferimento a un oggetto non impostato su un'istanza di oggetto.",
    ),
  ),
  nullReference(
    "ja",
    "オブジェクト参照がオブジェクト インスタンスに設定されていません",
    pasted(
      "オブジェクト参照がオブジェクト インスタンスに設定されていません",
      "System.NullReferenceException: オブジェクト参照がオブジェクト インスタンスに設定されていません。",
    ),
  ),
  nullReference(
    "zh-Hans",
    "未将对象引用设置到对象的实例",
    pasted(
      "未将对象引用设置到对象的实例",
      "Type: System.NullReferenceException Message: 未将对象引用设置到对象的实例。",
    ),
  ),
  nullReference(
    "zh-Hant",
    "並未將物件參考設定為物件的執行個體",
    pasted("並未將物件參考設定為物件的執行個體", "System.NullReferenceException: 並未將物件參考設定為物件的執行個體"),
  ),
  nullReference(
    "pt-BR",
    "Referência de objeto não definida para uma instância de um objeto",
    pasted(
      "Referência de objeto não definida para uma",
      "System.NullReferenceException: 'Referência de objeto não definida para uma instância de um objeto.'",
    ),
  ),
  nullReference(
    "ko",
    "개체 참조가 개체의 인스턴스로 설정되지 않았습니다",
    pasted(
      "개체 참조가 개체의 인스턴스로 설정되지 않았습니다",
      "처리되지 않은 예외: System.NullReferenceException: 개체 참조가 개체의 인스턴스로 설정되지 않았습니다.",
    ),
  ),
  nullReference(
    "ru",
    "Ссылка на объект не указывает на экземпляр объекта",
    pasted(
      "Ссылка на объект не указывает на экземпляр объекта",
      "System.NullReferenceException Сообщение = Ссылка на объект не указывает на экземпляр объекта.",
    ),
  ),
  nullReference(
    "nl",
    "De objectverwijzing is niet op een exemplaar van een object ingesteld",
    pasted(
      "objectverwijzing is niet op een exemplaar",
      "System.NullReferenceException: 'De objectverwijzing is niet op een exemplaar van een object ingesteld.'",
    ),
  ),
];

/** Extra signatures by entry id; merged into the entries when the knowledge base loads. */
export const localizedShellSignatures: Record<string, SignatureInput[]> = {
  "scanner-cmdlet-not-found": [...commandNotFoundWordings, ...categoryLines, ...moduleNotFoundWordings],
  "powershell-7-not-supported": nullReferenceWordings,
};
