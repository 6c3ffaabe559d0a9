import type { SignatureInput } from "./knowledgeEntry.js";
import type { LanguageCode } from "./languages.js";

/**
 * Windows and .NET Framework system messages in the 11 other languages, as a localized Windows prints them:
 * the WinSock errors a SocketException carries (10048 for the port-exhaustion entry; 10013, 10060, 10061 and
 * 11001 for the look-alikes), WebException's "The remote name could not be resolved", SChannel's certificate
 * trust failures and .NET's PathTooLongException. Each wording cites where it was seen; "code search" means
 * a public GitHub file holding the quoted text (a paste, a log, a localized Microsoft doc), found by exact text.
 * Real pastes are weighted 1; wordings seen only in (often machine-translated) localized docs a little less.
 */

/** A localized wording, as seen. */
function seen(lang: LanguageCode, phrase: string, weight: number, source: string): SignatureInput {
  return { phrase, weight, lang, source };
}

const searched = (fragment: string, where: string) => `GitHub code search for "${fragment}" (${where})`;

/** WSAEADDRINUSE (10048), further wordings: decisive for the port-exhaustion entry, like the others. */
export const addressInUseWordings: SignatureInput[] = [
  {
    ...seen(
      "es",
      "se permite un solo uso de cada dirección de socket",
      0.9,
      searched("un solo uso de cada dirección de socket", "AKS troubleshooting es-ES, Go listener error quoted"),
    ),
    decisive: true,
  },
];

/** WSAEACCES (10013) "An attempt was made to access a socket in a way forbidden by its access permissions". */
export const accessForbiddenWordings: SignatureInput[] = [
  seen(
    "de",
    "Der Zugriff auf einen Socket war aufgrund der Zugriffsrechte des Sockets unzulässig",
    1,
    searched("aufgrund der Zugriffsrechte des Sockets unzulässig", "Invoke-WebRequest and WinError 10013 pastes"),
  ),
  seen(
    "fr",
    "Une tentative d'accès à un socket de manière interdite par ses autorisations d'accès a été tentée",
    1,
    searched("de manière interdite par ses autorisations", "[WinError 10013] FastAPI paste; docker bind paste"),
  ),
  seen(
    "fr",
    "une tentative a été effectuée pour accéder à un socket de manière interdite par ses autorisations d’accès",
    0.9,
    searched("de manière interdite par ses autorisations", "Windows Sockets error codes fr-FR, WSAEACCES"),
  ),
  seen(
    "es",
    "Intento de acceso a un socket no permitido por sus permisos de acceso",
    1,
    searched("socket no permitido por sus permisos de acceso", "PermissionError [WinError 10013] traceback"),
  ),
  seen(
    "es",
    "Se intentó tener acceso a un socket de una manera prohibida por sus permisos de acceso",
    0.9,
    searched("acceso a un socket de una manera", "Windows Sockets error codes es-ES, WSAEACCES"),
  ),
  seen(
    "it",
    "Tentativo di accesso al socket con modalità non consentite dalle rispettive autorizzazioni di accesso",
    1,
    searched("Tentativo di accesso al socket", "System.Net.Sockets.SocketException (10013) in a troubleshooting note"),
  ),
  seen(
    "ja",
    "アクセス許可で禁じられた方法でソケットにアクセスしようとしました",
    1,
    searched("アクセス許可で禁じられた方法でソケットにアクセスしようとしました", "[WinError 10013] pastes"),
  ),
  seen(
    "ko",
    "액세스 권한에 의해 숨겨진 소켓에 액세스를 시도했습니다",
    1,
    searched("액세스 권한에 의해 숨겨진 소켓에 액세스를 시도했습니다", "httpx.ConnectError [WinError 10013] paste"),
  ),
  seen(
    "zh-Hant",
    "以一種存取權限不允許的方式做了一個存取通訊端的嘗試",
    1,
    searched("存取權限不允許的方式", "[WinError 10013] uvicorn note"),
  ),
  seen(
    "pt-BR",
    "Foi feita uma tentativa de acesso a um soquete de uma maneira que é proibida pelas permissões de acesso",
    1,
    searched("soquete de uma maneira que é proibida", "HttpRequestException paste (api.github.com:443)"),
  ),
  seen(
    "ru",
    "Сделана попытка доступа к сокету методом, запрещенным правами доступа",
    1,
    searched(
      "Сделана попытка доступа к сокету методом",
      "System.Net.Sockets.SocketException list; [WinError 10013] log",
    ),
  ),
  // Only Microsoft's Dutch docs quote it (Service Bus AMQP, App Service FAQ); no Dutch paste was found.
  seen(
    "nl",
    "toegang te krijgen tot een socket op een manier die",
    0.8,
    searched("toegang te krijgen tot een socket op een manier", "Service Bus AMQP and App Service FAQ nl-NL"),
  ),
];

/** WSAETIMEDOUT (10060) "A connection attempt failed because the connected party did not properly respond…". */
export const timedOutWordings: SignatureInput[] = [
  seen(
    "de",
    "Ein Verbindungsversuch ist fehlgeschlagen, da die Gegenstelle nach einer bestimmten Zeitspanne nicht richtig reagiert hat",
    1,
    searched("Gegenstelle nach einer bestimmten Zeitspanne", "[WinError 10060] and os error 10060 pastes"),
  ),
  seen(
    "de",
    "Fehler beim Herstellen der Verbindung, weil die Gegenstelle nach einer bestimmten Zeitspanne nicht ordnungsgemäß reagiert hat",
    0.9,
    searched("Gegenstelle nach einer bestimmten Zeitspanne", "Azure ATP troubleshooting de-DE, SocketException chain"),
  ),
  seen(
    "fr",
    "Une tentative de connexion a échoué car le parti connecté n’a pas répondu convenablement au-delà d’une certaine durée",
    1,
    searched("le parti connecté n’a pas répondu convenablement", "connectex and os error 10060 pastes"),
  ),
  seen(
    "es",
    "Se produjo un error durante el intento de conexión ya que la parte conectada no respondió adecuadamente tras un periodo de tiempo",
    1,
    searched("la parte conectada no respondió adecuadamente", "[WinError 10060] paramiko traceback; SSMS 10060 es-ES"),
  ),
  seen(
    "it",
    "Risposta non corretta della parte connessa dopo l'intervallo di tempo oppure mancata risposta dall'host collegato",
    1,
    searched("Risposta non corretta della parte connessa", "[WinError 10060] message; SSMS 10060 it-IT"),
  ),
  seen(
    "it",
    "Tentativo di connessione non riuscito. Risposta non corretta della parte connessa dopo un intervallo di tempo",
    0.9,
    searched("Risposta non corretta della parte connessa", "WF AsyncCodeActivity it-IT, SocketException chain"),
  ),
  seen(
    "ja",
    "接続済みの呼び出し先が一定の時間を過ぎても正しく応答しなかったため、接続できませんでした",
    1,
    searched(
      "接続済みの呼び出し先が一定の時間を過ぎても正しく応答しなかった",
      "Npgsql SocketException and Invoke-WebRequest pastes",
    ),
  ),
  seen(
    "zh-Hans",
    "由于连接方在一段时间后没有正确答复或连接的主机没有反应，连接尝试失败",
    1,
    searched("由于连接方在一段时间后没有正确答复", "[WinError 10060] tracebacks"),
  ),
  seen(
    "zh-Hant",
    "連線嘗試失敗，因為連線對象有一段時間並未正確回應，或是連線建立失敗，因為連線的主機無法回應",
    1,
    searched("連線嘗試失敗，因為連線對象有一段時間並未正確回應", "[WinError 10060] traceback; SSMS 10060 zh-TW"),
  ),
  seen(
    "ko",
    "연결된 구성원으로부터 응답이 없어 연결하지 못했거나, 호스트로부터 응답이 없어 연결이 끊어졌습니다",
    1,
    searched("연결된 구성원으로부터 응답이 없어 연결하지 못했거나", "ExtendedSocketException (10060) log"),
  ),
  seen(
    "ru",
    "Попытка установить соединение была безуспешной, т.к. от другого компьютера за требуемое время не получен нужный отклик",
    1,
    searched("за требуемое время не получен нужный отклик", "TimeoutError(10060) paste; SSMS 10060 ru-RU"),
  ),
  seen(
    "nl",
    "Een verbindingspoging is mislukt omdat de verbonden partij niet correct heeft gereageerd na een bepaalde periode",
    1,
    searched("Een verbindingspoging is mislukt", "Catenda troubleshooting, error quoted with (api.bimsync.com:443)"),
  ),
  seen(
    "nl",
    "een verbindingspoging is mislukt omdat de verbonden partij",
    0.8,
    searched("Een verbindingspoging is mislukt", "Dynamics dual-write and Logic Apps SFTP nl-NL"),
  ),
  seen(
    "pt-BR",
    "Uma tentativa de conexão falhou porque o componente conectado não respondeu corretamente após um período de tempo",
    1,
    searched("o componente conectado não respondeu", "[WinError 10060] and ExtendedSocketException pastes"),
  ),
];

/** WSAECONNREFUSED (10061) "No connection could be made because the target machine actively refused it". */
export const refusedWordings: SignatureInput[] = [
  seen(
    "de",
    "Es konnte keine Verbindung hergestellt werden, da der Zielcomputer die Verbindung verweigerte",
    1,
    searched("da der Zielcomputer die Verbindung verweigerte", "[WinError 10061] pastes; WCF tutorial de-DE"),
  ),
  seen(
    "es",
    "No se puede establecer una conexión ya que el equipo de destino denegó expresamente dicha conexión",
    1,
    searched("el equipo de destino denegó expresamente", "SocketException (10061) from dotnet ef"),
  ),
  seen(
    "it",
    "Impossibile stabilire la connessione. Rifiuto persistente del computer di destinazione",
    1,
    searched("Rifiuto persistente del computer di destinazione", "[WinError 10061] pastes; SSMS 10061 it-IT"),
  ),
  seen(
    "ja",
    "対象のコンピューターによって拒否されたため、接続できませんでした",
    1,
    searched(
      "対象のコンピューターによって拒否されたため、接続できませんでした",
      "System.Net.Sockets.SocketException (0x80004005) paste",
    ),
  ),
  seen(
    "zh-Hans",
    "由于目标计算机积极拒绝，无法连接",
    1,
    searched("由于目标计算机积极拒绝，无法连接", "[WinError 10061] pastes"),
  ),
  seen(
    "zh-Hant",
    "無法連線，因為目標電腦拒絕連線",
    1,
    searched("無法連線，因為目標電腦拒絕連線", "adb (10061) and [WinError 10061] pastes"),
  ),
  seen(
    "ko",
    "대상 컴퓨터에서 연결을 거부했으므로 연결하지 못했습니다",
    1,
    searched("연결된 구성원으로부터 응답이 없어 연결하지 못했거나", "C# WinSock message table, 10061"),
  ),
  seen(
    "ru",
    "Подключение не установлено, т.к. конечный компьютер отверг запрос на подключение",
    1,
    searched(
      "конечный компьютер отверг запрос на подключение",
      "HttpRequestException with SocketException(ConnectionRefused)",
    ),
  ),
  seen(
    "nl",
    "Kan geen verbinding maken omdat de doelcomputer de verbinding actief heeft geweigerd",
    1,
    searched("omdat de doelcomputer de verbinding actief", "HttpRequestException paste (localhost:5234)"),
  ),
  seen(
    "pt-BR",
    "Nenhuma conexão pôde ser feita porque a máquina de destino as recusou ativamente",
    1,
    searched("a máquina de destino as recusou ativamente", "SocketException (10061) from Npgsql"),
  ),
];

/** WSAHOST_NOT_FOUND (11001) "No such host is known" and WebException "The remote name could not be resolved". */
export const hostUnknownWordings: SignatureInput[] = [
  seen(
    "de",
    "Der angegebene Host ist unbekannt",
    1,
    searched("Der angegebene Host ist unbekannt", "os error 11001 paste; SocketError table de"),
  ),
  // Short, but it names the same DNS failure wherever it appears.
  seen("fr", "Hôte inconnu", 0.8, searched("(os error 11001)", "tauri bundle paste: io: Hote inconnu")),
  seen("ja", "そのようなホストは不明です", 1, searched("そのようなホストは不明です", "SocketException (11001) log")),
  seen("zh-Hans", "不知道这样的主机", 1, searched("不知道这样的主机", "os error 11001 pastes")),
  seen(
    "ko",
    "알려진 호스트가 없습니다",
    1,
    searched("알려진 호스트가 없습니다", "System.Net.Sockets.SocketException note; send error (host:443)"),
  ),
  seen(
    "ru",
    "Этот хост неизвестен",
    1,
    searched("Этот хост неизвестен", "os error 11001 and Invoke-WebRequest pastes"),
  ),
  seen(
    "pt-BR",
    "Este host não é conhecido",
    1,
    searched("a máquina de destino as recusou ativamente", "C# InnerException checks, getaddrinfo failed note"),
  ),
  seen(
    "de",
    "Der Remotename konnte nicht aufgelöst werden",
    1,
    searched("Der Remotename konnte nicht aufgelöst werden", "Service Bus exceptionMessage de-DE; WebException checks"),
  ),
  seen(
    "fr",
    "Le nom distant n'a pas pu être résolu",
    1,
    searched("Le nom distant n'a pas pu être résolu", "vSphere client System.Net.WebException log"),
  ),
  seen(
    "es",
    "No se puede resolver el nombre remoto",
    1,
    searched("No se puede resolver el nombre remoto", "SMTP paste; DocumentDB release notes es-ES"),
  ),
  seen(
    "it",
    "Impossibile risolvere il nome remoto",
    1,
    searched("Impossibile risolvere il nome remoto", "WebException check; self-hosted IR troubleshooting it-IT"),
  ),
  seen(
    "ja",
    "リモート名を解決できませんでした",
    1,
    searched("リモート名を解決できませんでした", "System.Net.WebException in Dynamics LCS ja-JP docs"),
  ),
  seen("zh-Hans", "未能解析此远程名称", 1, searched("未能解析此远程名称", "WebException comment; irm paste")),
  seen(
    "zh-Hant",
    "無法解析遠端名稱",
    1,
    searched("無法解析遠端名稱", "Invoke-WebRequest paste; DocumentDB release notes zh-TW"),
  ),
  seen(
    "ko",
    "원격 이름을 확인할 수 없습니다",
    1,
    searched("원격 이름을 확인할 수 없습니다", "DocumentDB release notes ko-KR WebException"),
  ),
  seen(
    "nl",
    "De externe naam kan niet worden omgezet",
    1,
    searched("De externe naam kan niet worden omgezet", "DocumentDB release notes nl-NL WebException"),
  ),
  seen(
    "pt-BR",
    "O nome remoto não pôde ser resolvido",
    1,
    searched("O nome remoto não pôde ser resolvido", "WebException message checks (m.correios.com.br)"),
  ),
  // Only the Russian self-hosted IR troubleshooting doc quotes it.
  seen(
    "ru",
    "Не удалось разрешить удаленное имя",
    0.9,
    searched("Не удалось разрешить удаленное имя", "self-hosted IR troubleshooting ru-RU"),
  ),
];

/**
 * The certificate is not trusted: AuthenticationException "The remote certificate is invalid according to the
 * validation procedure" and WebException "Could not establish trust relationship for the SSL/TLS secure channel".
 */
export const certificateNotTrustedWordings: SignatureInput[] = [
  seen(
    "de",
    "Das Remotezertifikat ist laut Validierungsverfahren ungültig",
    1,
    searched("Remotezertifikat ist laut Validierungsverfahren", "SMTP README paste; SSIS Scale Out de-DE"),
  ),
  seen(
    "de",
    "Es konnte keine Vertrauensstellung für den sicheren SSL/TLS-Kanal",
    0.9,
    searched("SSL/TLS-Kanal mit der Autorität", "SSIS Scale Out troubleshooting de-DE, SecurityNegotiationException"),
  ),
  seen(
    "fr",
    "Le certificat distant n'est pas valide selon la procédure de validation",
    1,
    searched("Le certificat distant n'est pas valide selon", "goproxy TrustFailure comment"),
  ),
  seen(
    "es",
    "El certificado remoto no es válido según el procedimiento de validación",
    1,
    searched(
      "El certificado remoto no es válido según",
      "AuthenticationException in SSIS Scale Out es-ES; connector paste",
    ),
  ),
  seen(
    "es",
    "No se puede establecer una relación de confianza para el canal seguro SSL/TLS",
    1,
    searched("El certificado remoto no es válido según", "SSIS Scale Out troubleshooting es-ES"),
  ),
  seen(
    "es",
    "No se ha podido establecer la relación de confianza para el canal seguro SSL/TLS",
    1,
    searched("El certificado remoto no es válido según", "self-hosted IR troubleshooting es-ES"),
  ),
  seen(
    "it",
    "Il certificato remoto non è valido in base alla procedura di convalida",
    1,
    searched("Il certificato remoto non è valido", "AuthenticationException in gRPC troubleshooting it-IT"),
  ),
  seen(
    "ja",
    "検証プロシージャによると、リモート証明書は無効です",
    1,
    searched("検証プロシージャによると、リモート証明書は無効です", "AuthenticationException in SSIS Scale Out ja-JP"),
  ),
  seen(
    "zh-Hans",
    "根据验证过程，远程证书无效",
    1,
    searched("根据验证过程，远程证书无效", "System.Security.Authentication.AuthenticationException comments"),
  ),
  seen(
    "zh-Hans",
    "未能为 SSL/TLS 安全通道建立信任关系",
    1,
    searched("未能为 SSL/TLS 安全通道建立信任关系", "git fatal: 基础连接已经关闭 paste"),
  ),
  seen(
    "zh-Hant",
    "根據驗證程序，遠端憑證是無效的",
    1,
    searched("根據驗證程序，遠端憑證是無效的", "AuthenticationException in SSIS Scale Out zh-TW"),
  ),
  seen(
    "ko",
    "유효성 검사 절차에 따르면 원격 인증서가 잘못되었습니다",
    1,
    searched("원격 인증서가 잘못되었습니다", "AuthenticationException in SSIS Scale Out ko-KR"),
  ),
  seen(
    "ru",
    "Удаленный сертификат недействителен согласно результатам проверки подлинности",
    1,
    searched("Удаленный сертификат недействителен", "System.Security.Authentication.AuthenticationException comment"),
  ),
  seen(
    "ru",
    "Не удалось установить доверительные отношения для защищенного канала SSL/TLS",
    1,
    searched(
      "доверительные отношения для защищенного канала",
      "WebException message check: Базовое соединение закрыто",
    ),
  ),
  seen(
    "nl",
    "Het externe certificaat is ongeldig volgens de validatieprocedure",
    0.9,
    searched("Het externe certificaat is ongeldig", "Database Migration Service known issues nl-NL"),
  ),
  seen(
    "nl",
    "Kan geen vertrouwensrelatie tot stand brengen voor het beveiligde SSL/TLS-kanaal",
    0.9,
    searched("voor het beveiligde SSL/TLS-kanaal", "copy activity troubleshooting nl-NL"),
  ),
  seen(
    "pt-BR",
    "O certificado remoto é inválido de acordo com o procedimento de validação",
    1,
    searched("O certificado remoto é inválido", "msdeploy paste; gRPC troubleshooting pt-BR"),
  ),
];

/** .NET's PathTooLongException "The specified path, file name, or both are too long". */
export const pathTooLongWordings: SignatureInput[] = [
  seen(
    "es",
    "La ruta de acceso especificada, el nombre de archivo o ambos son demasiado largos",
    0.85,
    searched("el nombre de archivo o ambos son demasiado largos", "NuGet cache and SharePoint tools docs es-ES"),
  ),
  seen(
    "it",
    "Il percorso specificato, il nome file o entrambi sono troppo lunghi",
    0.85,
    searched("il nome file o entrambi sono troppo lunghi", "NuGet cache docs it-IT"),
  ),
  // The older .NET Framework Italian resource words it differently.
  seen(
    "it",
    "Percorso e/o nome di file specificato troppo lungo",
    0.85,
    "https://github.com/NuGet/docs.microsoft.com-nuget.it-it/blob/6a455e19491ad670cab9d6220de2b0a9deea5991/docs/consume-packages/managing-the-global-packages-and-cache-folders.md",
  ),
  seen(
    "zh-Hant",
    "指定的路徑、檔案名稱或兩者都太長",
    0.85,
    searched("檔案名稱或兩者都太長", "NuGet cache and SharePoint tools docs zh-TW"),
  ),
  seen(
    "pt-BR",
    "O caminho especificado, o nome do arquivo ou ambos são muito longos",
    0.85,
    searched("o nome do arquivo ou ambos são muito longos", "System.IO.PathTooLongException comment; NuGet docs pt-BR"),
  ),
  seen(
    "ko",
    "지정된 경로, 파일 이름 중 하나 또는 둘 다가 너무 깁니다",
    0.85,
    searched("정규화된 파일 이름은 260자", "NuGet cache and SharePoint tools docs ko-KR"),
  ),
  seen(
    "ru",
    "указанный путь, имя файла или оба значения имеют слишком большую длину",
    0.85,
    searched("Указанный путь, имя файла", "NuGet cache docs ru-RU"),
  ),
  seen(
    "nl",
    "Het opgegeven pad, de bestandsnaam of beide zijn te lang",
    0.85,
    searched("de bestandsnaam of beide zijn te lang", "Cloud Services and archive API docs nl-NL"),
  ),
];

/** The localized wordings of knowledge-base entries, by entry id (merged when the knowledge base loads). */
export const localizedSystemSignatures: Record<string, SignatureInput[]> = {
  "unable-to-connect-to-remote-server": addressInUseWordings,
  "file-path-too-long": pathTooLongWordings,
};
