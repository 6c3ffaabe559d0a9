import type { SignatureInput } from "./knowledgeEntry.js";
import type { LanguageCode } from "./languages.js";

/**
 * The article's entries in the languages admins paste them in. Three kinds of text:
 * - the localized .NET Framework / Windows messages of the exceptions an entry names, as a
 *   localized Windows Server prints them (the scanner's own messages stay English everywhere);
 * - the localized headings of the troubleshooting article, as an admin copies them from a
 *   localized page (machine translation included);
 * - the localized article's description sentences (what a section's error means), likewise.
 * Each wording cites where it was seen; "code search" means a public GitHub file containing the
 * quoted text (a paste, a log, a localized Microsoft doc), found with an exact-text search.
 */

const tsg = {
  fr: "MicrosoftDocs/Azure-RMSDocs.fr-fr Azure-RMSDocs/deploy-aip-scanner-tsg.md",
  de: "Microsoft/Azure-RMSDocs.de-de Azure-RMSDocs/deploy-aip-scanner-tsg.md",
  it: "MicrosoftDocs/Azure-RMSDocs.it-it Azure-RMSDocs/deploy-aip-scanner-tsg.md",
  ja: "hyoshioka0128/Azure-RMSDocs.ja-jp Azure-RMSDocs/deploy-aip-scanner-tsg.md",
  "zh-Hans": "MicrosoftDocs/Azure-RMSDocs.zh-cn Azure-RMSDocs/deploy-aip-scanner-tsg.md",
} as const;

const searched = (fragment: string) => `GitHub code search for "${fragment}"`;

/** A localized wording of a message the entry already knows in English. */
function localized(lang: LanguageCode, phrase: string, weight: number, source: string): SignatureInput {
  return { phrase, weight, lang, source };
}

/** A localized heading of the article: an admin quoting the section, not an error text. */
function heading(lang: keyof typeof tsg, phrase: string): SignatureInput {
  return { phrase, weight: 0.8, lang, source: tsg[lang] };
}

/**
 * The article's description of a section (what the error means), as the localized article words it:
 * a whole sentence, quoted by an admin, so a match on its own but weaker than a heading.
 */
const described = (sentences: Partial<Record<keyof typeof tsg, string>>): SignatureInput[] =>
  (Object.entries(sentences) as [keyof typeof tsg, string][]).map(([lang, phrase]) => ({
    phrase,
    weight: 0.7,
    lang,
    source: tsg[lang],
  }));

/** The description sentences of the localized articles (fr, de, it, ja, zh-cn), by entry id. */
const descriptions: Record<string, SignatureInput[]> = {
  "unable-to-connect-to-remote-server": described({
    fr: "Le scanneur a dépassé le nombre de connexions réseau autorisées",
    de: "Der Scanner hat die Anzahl der zulässigen Netzwerkverbindungen überschritten",
    it: "Lo scanner ha superato il numero di connessioni di rete consentite",
    ja: "スキャナーが、許可されているネットワーク接続の数を超えています",
    "zh-Hans": "扫描仪超出了允许的网络连接数",
  }),
  "stuck-scanner-processes": described({
    fr: "Le scanneur traite un fichier unique plus longtemps que prévu",
    de: "Der Scanner verarbeitet eine einzelne Datei länger als erwartet",
    it: "Lo scanner sta elaborando un singolo file più a lungo del previsto",
    ja: "スキャナーが、予想より長い1つのファイルを処理しています",
    "zh-Hans": "扫描仪正在处理的单个文件的时间比预期要长",
  }),
  "policy-missing": described({
    fr: "Le scanneur ne parvient pas à trouver votre fichier de stratégie",
    de: "Die Überprüfung kann Ihre MIP-Richtlinien Datei (Microsoft Information Protection) nicht finden",
    it: "Lo scanner non è in grado di trovare il file dei criteri",
    ja: "スキャナーが Microsoft Information Protection (MIP) ポリシーファイルを見つけることができません",
    "zh-Hans": "扫描仪找不到你的 Microsoft 信息保护 (MIP) 策略文件",
  }),
  "database-errors": described({
    fr: "Le scanneur peut ne pas être en mesure de se connecter à la base de données",
    de: "Der Scanner kann möglicherweise keine Verbindung mit der Datenbank herstellen",
    it: "Lo scanner potrebbe non essere in grado di connettersi al database",
    ja: "スキャナーがデータベースに接続できない可能性があります",
    "zh-Hans": "扫描仪可能无法连接到数据库",
  }),
  "missing-content-scan-job-or-profile": described({
    fr: "Les erreurs indiquent que votre travail ou profil d’analyse de contenu est introuvable",
    de: "Fehler zeigen an, dass Ihr inhaltscanauftrag oder Profil nicht gefunden werden kann",
    it: "Gli errori indicano che non è possibile trovare il profilo o il processo di analisi del contenuto",
    ja: "エラーは、コンテンツスキャンジョブまたはプロファイルが見つからないことを示します",
    "zh-Hans": "错误表明无法找到内容扫描作业或配置文件",
  }),
  "no-repositories-configured": described({
    de: "Möglicherweise verfügen Sie über einen inhaltscanauftrag ohne konfigurierte Depots",
    it: "È possibile che si disponga di un processo di analisi del contenuto senza repository configurati",
    ja: "リポジトリが構成されていないコンテンツスキャンジョブがある可能性があります",
    "zh-Hans": "可能有一个内容扫描作业未配置存储库",
  }),
  "no-cluster-found": described({
    de: "Es wurde keine tatsächliche Entsprechung für einen der von Ihnen definierten scannercluster gefunden",
    it: "Non sono state trovate corrispondenze effettive per uno dei cluster di scanner definiti",
    ja: "定義したスキャナークラスターの1つに対して、実際の一致は見つかりませんでした",
    "zh-Hans": "找不到已定义的其中一个扫描仪群集的实际匹配项",
  }),
};

// WSAEADDRINUSE (10048), the inner error of the article's port exhaustion. Decisive for
// "unable-to-connect-to-remote-server" wherever it appears in the chain.
const addressInUse: SignatureInput[] = [
  localized(
    "fr",
    "Une seule utilisation de chaque adresse de socket (protocole/adresse réseau/port) est habituellement autorisée",
    1,
    "MicrosoftDocs/Azure-RMSDocs.fr-fr Azure-RMSDocs/deploy-aip-scanner.md",
  ),
  localized(
    "fr",
    "une seule utilisation de chaque adresse de socket",
    1,
    "MicrosoftDocs/Azure-RMSDocs.fr-fr Azure-RMSDocs/deploy-aip-scanner.md (machine-translated version)",
  ),
  localized(
    "de",
    "Normalerweise darf jede Socketadresse (Protokoll, Netzwerkadresse oder Anschluss) nur jeweils einmal verwendet werden",
    1,
    "Microsoft/Azure-RMSDocs.de-de Azure-RMSDocs/deploy-aip-scanner.md; https://github.com/dotnet/MQTTnet/issues/769",
  ),
  localized(
    "es",
    "Solo se permite un uso de cada dirección de socket (protocolo/dirección de red/puerto)",
    1,
    "https://github.com/IIC2233/syllabus-2020-1/issues/1015",
  ),
  localized(
    "it",
    "è consentito un solo utilizzo di ogni indirizzo di socket (protocollo/indirizzo di rete/porta)",
    1,
    searched("un solo utilizzo di ogni indirizzo di socket"),
  ),
  localized(
    "pt-BR",
    "Normalmente é permitida apenas uma utilização de cada endereço de soquete (protocolo/endereço de rede/porta)",
    1,
    searched("uma utilização de cada endereço de soquete"),
  ),
  localized(
    "nl",
    "Elk socketadres (protocol/netwerkadres/poort) kan normaal slechts één keer worden gebruikt",
    1,
    searched("socketadres (protocol/netwerkadres/poort)"),
  ),
  localized(
    "ru",
    "Обычно разрешается только одно использование адреса сокета (протокол/сетевой адрес/порт)",
    1,
    "https://github.com/zyddnys/manga-image-translator/issues/232",
  ),
  localized(
    "ja",
    "通常、各ソケット アドレスに対してプロトコル、ネットワーク アドレス、またはポートのどれか 1 つのみを使用できます",
    1,
    searched("通常、各ソケット アドレスに対して"),
  ),
  localized(
    "ko",
    "각 소켓 주소(프로토콜/네트워크 주소/포트)는 하나만 사용할 수 있습니다",
    1,
    searched("각 소켓 주소(프로토콜/네트워크 주소/포트)는"),
  ),
  localized(
    "zh-Hans",
    "通常每个套接字地址(协议/网络地址/端口)只允许使用一次",
    1,
    "https://github.com/beetlex-io/FastHttpApi/issues/51",
  ),
  localized(
    "zh-Hant",
    "一次只能用一個通訊端位址 (通訊協定/網路位址/連接埠)",
    1,
    searched("通訊端位址 (通訊協定/網路位址/連接埠)"),
  ),
  localized(
    "zh-Hant",
    "通常一個通訊端位址 (通訊協定/網路位址/連接埠) 只允許使用一次",
    1,
    searched("通訊端位址 (通訊協定/網路位址/連接埠)"),
  ),
].map((s) => ({ ...s, decisive: true }));

// WebException "Unable to connect to the remote server": the outer wrapper. Like the English one it
// is weak on its own, and yields to any other inner cause (see otherCauses.ts).
const connectFailure: SignatureInput[] = [
  localized("fr", "Impossible de se connecter au serveur distant", 0.6, tsg.fr),
  localized("de", "Die Verbindung mit dem Remoteserver kann nicht hergestellt werden", 0.6, tsg.de),
  localized(
    "es",
    "No es posible conectar con el servidor remoto",
    0.6,
    searched("No es posible conectar con el servidor remoto"),
  ),
  localized(
    "it",
    "Impossibile effettuare la connessione al server remoto",
    0.6,
    searched("Impossibile effettuare la connessione al server"),
  ),
  localized(
    "pt-BR",
    "Impossível conectar-se ao servidor remoto",
    0.6,
    searched("Impossível conectar-se ao servidor remoto"),
  ),
  localized(
    "nl",
    "Kan geen verbinding maken met de externe server",
    0.6,
    searched("Kan geen verbinding maken met de externe server"),
  ),
  localized(
    "ru",
    "Невозможно соединиться с удаленным сервером",
    0.6,
    searched("Невозможно соединиться с удаленным сервером"),
  ),
  localized("ja", "リモート サーバーに接続できません", 0.6, searched("リモート サーバーに接続できません")),
  localized("ko", "원격 서버에 연결할 수 없습니다", 0.6, searched("원격 서버에 연결할 수 없습니다")),
  localized("zh-Hans", "无法连接到远程服务器", 0.6, tsg["zh-Hans"]),
  localized("zh-Hant", "無法連接至遠端伺服器", 0.6, searched("無法連接至遠端伺服器")),
  // The wording newer .NET builds and PowerShell print (Spanish and Portuguese managed-identity docs).
  localized(
    "es",
    "No se puede conectar con el servidor remoto",
    0.6,
    searched("No se puede conectar con el servidor remoto"),
  ),
  localized(
    "pt-BR",
    "Não é possível conectar-se ao servidor remoto",
    0.6,
    searched("Não é possível conectar-se ao servidor remoto"),
  ),
];

// WebException "The underlying connection was closed: An unexpected error occurred on a send."
// and the other .NET wordings of a failed TLS handshake.
const closedOnSend: SignatureInput[] = [
  localized(
    "es",
    "Se ha terminado la conexión: Error inesperado de envío",
    0.9,
    searched("Se ha terminado la conexión: Error inesperado"),
  ),
  localized(
    "it",
    "Connessione sottostante chiusa: errore imprevisto durante un'operazione di invio",
    0.9,
    searched("Connessione sottostante chiusa"),
  ),
  localized(
    "pt-BR",
    "A conexão subjacente estava fechada: Ocorreu um erro inesperado em um envio",
    0.9,
    searched("A conexão subjacente estava fechada"),
  ),
  localized(
    "nl",
    "De onderliggende verbinding is gesloten: Er is een onverwachte fout opgetreden bij het verzenden",
    0.9,
    searched("De onderliggende verbinding is gesloten"),
  ),
  localized(
    "ru",
    "Базовое соединение закрыто: Непредвиденная ошибка при передаче",
    0.9,
    searched("Непредвиденная ошибка при передаче"),
  ),
  localized(
    "ja",
    "基になる接続が閉じられました: 送信で予期しないエラーが発生しました",
    0.9,
    searched("基になる接続が閉じられました"),
  ),
  localized(
    "ko",
    "기본 연결이 닫혔습니다. 보내기에서 예기치 않은 오류가 발생했습니다",
    0.9,
    searched("기본 연결이 닫혔습니다"),
  ),
  localized("zh-Hans", "基础连接已经关闭: 发送时发生错误", 0.9, searched("基础连接已经关闭: 发送时发生错误")),
  localized("zh-Hant", "基礎連接已關閉: 傳送時發生未預期的錯誤", 0.9, searched("基礎連接已關閉")),
  // "The request was aborted: Could not create SSL/TLS secure channel."
  localized(
    "de",
    "Es konnte kein geschützter SSL/TLS-Kanal erstellt werden",
    0.9,
    searched("konnte kein geschützter SSL/TLS-Kanal erstellt"),
  ),
  localized(
    "fr",
    "Impossible de créer un canal sécurisé SSL/TLS",
    0.9,
    searched("Impossible de créer un canal sécurisé SSL/TLS"),
  ),
  localized("zh-Hans", "未能创建 SSL/TLS 安全通道", 0.9, searched("未能创建 SSL/TLS 安全通道")),
  localized(
    "es",
    "No se puede crear un canal seguro SSL/TLS",
    0.9,
    searched("No se puede crear un canal seguro SSL/TLS"), // incl. the Spanish SSIS Scale Out troubleshooting doc
  ),
  localized(
    "pt-BR",
    "Não foi possível criar um canal seguro para SSL/TLS",
    0.9,
    searched("criar um canal seguro para SSL/TLS"),
  ),
  localized(
    "ru",
    "Не удалось создать защищенный канал SSL/TLS",
    0.9,
    searched("Не удалось создать защищенный канал SSL/TLS"), // incl. the Russian Azure Stack tools doc
  ),
  localized(
    "ko",
    "SSL/TLS 보안 채널을 만들 수 없습니다",
    0.9,
    searched("SSL/TLS 보안 채널을 만들 수 없습니다"), // incl. the Korean SSIS Scale Out troubleshooting doc
  ),
  localized(
    "zh-Hant",
    "無法建立 SSL/TLS 的安全通道",
    0.9,
    searched("無法建立 SSL/TLS 的安全通道"), // incl. the Traditional Chinese Intune DigiCert connector doc
  ),
  localized(
    "nl",
    "Kan geen beveiligd SSL/TLS-kanaal maken",
    0.9,
    searched("beveiligd SSL/TLS-kanaal"), // the Dutch Intune DigiCert and Application Insights docs
  ),
  localized(
    "it",
    "Impossibile creare un canale sicuro SSL/TLS",
    0.9,
    searched("Impossibile creare un canale sicuro SSL/TLS"), // incl. the Italian SSIS Scale Out doc
  ),
  localized(
    "ja",
    "SSL/TLS のセキュリティで保護されているチャネルを作成できませんでした",
    0.9,
    searched("保護されているチャネルを作成できませんでした"), // incl. the Japanese SSIS Scale Out doc
  ),
  // "Authentication failed because the remote party has closed the transport stream."
  localized(
    "pt-BR",
    "a autenticação falhou porque a parte remota fechou o fluxo de transporte",
    1,
    searched("fechou o fluxo de transporte"), // the Portuguese ATA known-errors doc
  ),
  localized(
    "ko",
    "원격측에서 전송 스트림을 닫았으므로 인증에 실패했습니다",
    1,
    searched("전송 스트림을 닫았으므로"), // the Korean Data Factory MySQL connector doc
  ),
  localized("zh-Hans", "由于远程方已关闭传输流，身份验证失败", 1, "https://github.com/2dust/v2rayN/issues/847"),
];

/** .NET's PathTooLongException message ("The specified path, file name, or both are too long"). */
const pathTooLong: SignatureInput[] = [
  localized(
    "fr",
    "Le chemin d'accès spécifié, le nom de fichier ou les deux sont trop longs",
    0.85,
    searched("nom de fichier ou les deux sont trop longs"),
  ),
  localized(
    "de",
    "Der angegebene Pfad und/oder Dateiname ist zu lang",
    0.85,
    searched("Der angegebene Pfad und/oder Dateiname ist zu lang"),
  ),
  localized(
    "ja",
    "指定されたパス、ファイル名、またはその両方が長すぎます",
    0.85,
    searched("指定されたパス、ファイル名、またはその両方が長すぎます"),
  ),
  localized("zh-Hans", "指定的路径或文件名太长，或者两者都太长", 0.85, searched("指定的路径或文件名太长")),
];

/** Localized headings, messages and descriptions by entry id; merged into the entries when the knowledge base loads. */
const headingsAndMessages: Record<string, SignatureInput[]> = {
  "authentication-token-not-accepted": [
    heading("fr", "Jeton d’authentification non accepté"),
    heading("de", "Das Authentifizierungs Token wurde nicht akzeptiert"),
    heading("de", "Das Authentifizierungstoken wurde nicht akzeptiert"),
    heading("it", "Il token di autenticazione non è accettato"),
    heading("ja", "認証トークンが受け入れられません"),
    heading("zh-Hans", "身份验证令牌不被接受"),
  ],
  "authentication-token-missing": [
    heading("fr", "Jeton d’authentification manquant"),
    heading("de", "Authentifizierungs Token fehlt"),
    heading("de", "Authentifizierungstoken fehlt"),
    heading("it", "Token di autenticazione mancante"),
    heading("ja", "認証トークンがありません"),
    heading("zh-Hans", "缺少身份验证令牌"),
  ],
  "policy-missing": [
    heading("fr", "Stratégie manquante"),
    heading("de", "Fehlende Richtlinie"),
    heading("it", "Criteri mancanti"),
    heading("ja", "ポリシーがありません"),
    heading("zh-Hans", "缺少策略"),
  ],
  "policy-doesnt-include-automatic-labeling-conditions": [
    heading("fr", "La stratégie n’inclut aucune condition d’étiquetage automatique"),
    heading("de", "Die Richtlinie enthält keine automatische Bezeichnungs Bedingung"),
    heading("it", "Il criterio non include alcuna condizione di etichetta automatica"),
    heading("ja", "ポリシーに自動ラベル付け条件が含まれていません"),
    heading("zh-Hans", "策略不包括任何自动标记条件"),
  ],
  "database-errors": [
    heading("fr", "Erreurs de base de données"),
    heading("de", "Datenbankfehler"),
    heading("it", "Errori del database"),
    heading("ja", "データベース エラー"),
    heading("zh-Hans", "数据库错误"),
  ],
  "mismatched-or-outdated-schema": [
    heading("fr", "Schéma incompatible ou obsolète"),
    heading("de", "Nicht übereinstimmendes oder veraltetes Schema"),
    heading("it", "Schema non corrispondente o obsoleto"),
    heading("ja", "不一致または古いスキーマ"),
    heading("zh-Hans", "架构不匹配或已过时"),
  ],
  "underlying-connection-was-closed": [
    ...closedOnSend,
    // The older localized article filed the TLS case under the HttpRequestException's wording.
    { ...heading("fr", "Une erreur s’est produite lors de l’envoi de la demande"), weight: 0.5 },
    { ...heading("de", "Fehler beim Senden der Anforderung"), weight: 0.5 },
    { ...heading("it", "Si è verificato un errore durante l'invio della richiesta"), weight: 0.5 },
    { ...heading("ja", "要求の送信中にエラーが発生しました"), weight: 0.5 },
    { ...heading("zh-Hans", "发送请求时出错"), weight: 0.5 },
    heading("zh-Hans", "基础连接已关闭"),
  ],
  "stuck-scanner-processes": [
    heading("fr", "Processus de scanneur bloqués"),
    heading("de", "Hält Scanner-Prozesse"),
    heading("it", "Processi di scanner bloccati"),
    heading("ja", "スキャナープロセスをスタックする"),
    heading("zh-Hans", "阻塞扫描进程"),
  ],
  "unable-to-connect-to-remote-server": [
    ...addressInUse,
    ...connectFailure,
    { ...heading("de", "Es kann keine Verbindung mit dem Remote Server hergestellt werden"), weight: 0.6 },
    { ...heading("it", "Impossibile connettersi al server remoto"), weight: 0.6 },
    { ...heading("ja", "リモートサーバーに接続できません"), weight: 0.6 },
  ],
  "missing-content-scan-job-or-profile": [
    heading("fr", "Travail ou profil d’analyse de contenu manquant"),
    heading("de", "Fehlender inhaltscanauftrag oder Profil"),
    heading("it", "Profilo o processo di analisi del contenuto mancante"),
    heading("ja", "コンテンツスキャンジョブまたはプロファイルがありません"),
    heading("zh-Hans", "缺少内容扫描作业或配置文件"),
  ],
  "no-repositories-configured": [
    heading("fr", "Aucun référentiel configuré"),
    heading("de", "Keine Depots konfiguriert"),
    heading("it", "Nessun repository configurato"),
    heading("ja", "リポジトリが構成されていません"),
    heading("zh-Hans", "未配置存储库"),
  ],
  "file-path-too-long": pathTooLong,
  "no-cluster-found": [
    heading("fr", "Aucun cluster trouvé"),
    heading("de", "Kein Cluster gefunden"),
    heading("it", "Non sono stati trovati cluster"),
    heading("ja", "クラスターが見つかりませんでした"),
    heading("zh-Hans", "找不到群集"),
  ],
};

export const localizedSignatures: Record<string, SignatureInput[]> = Object.fromEntries(
  Object.entries(headingsAndMessages).map(([id, signatures]) => [id, [...signatures, ...(descriptions[id] ?? [])]]),
);
