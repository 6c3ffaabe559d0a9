import type { SignatureInput } from "./knowledgeEntry.js";
import type { LanguageCode } from "./languages.js";
import { signInCauses } from "./tokenLibraryErrors.js";

/**
 * What the services the scanner depends on say on a localized server: SqlClient and SQL Server about the
 * scanner's database, and Microsoft Entra's AADSTS descriptions about its sign-in. SqlClient's wordings come
 * from its resource files (dotnet/SqlClient `Strings.<lang>.resx`), SQL Server's and Entra's from Microsoft's
 * localized documentation of those errors; a few from pastes. SharePoint's list view threshold and throttling wordings
 * (for stuck scans of SharePoint repositories) come from localized Microsoft pages and pastes. Each line cites where it
 * was seen.
 */

/** A localized message of SqlClient or SQL Server: evidence for "Database errors". */
function said(lang: LanguageCode, phrase: string, weight: number, source: string): SignatureInput {
  return { phrase, weight, lang, source };
}

/** A localized AADSTS description: the sign-in service's own verdict, so it counts wherever it appears. */
function described(lang: LanguageCode, phrase: string, detail: string, source: string): SignatureInput {
  return { phrase, weight: 0.85, decisive: true, lang, detail, source };
}

const { secretWrong, conditionalAccess } = signInCauses;
const mfa = `Multi-factor authentication required (AADSTS50076 / AADSTS50079): ${conditionalAccess}`;
const rejected = `Credentials rejected (AADSTS70002): ${secretWrong}`;
const secretExpired =
  "Client secret expired (AADSTS7000222): the app secret used with Set-AIPAuthentication has passed its end date. Create a new secret for the app registration and run Set-AIPAuthentication again with it.";

/** SqlClient's and SQL Server's messages about the scanner's database, in the other languages. */
const databaseMessages: SignatureInput[] = [
  // SqlClient: "A network-related or instance-specific error occurred while establishing a connection to SQL Server."
  said(
    "fr",
    "Une erreur liée au réseau ou spécifique à l'instance s'est produite lors de l'établissement d'une connexion à SQL Server.",
    0.9,
    "https://github.com/dotnet/SqlClient/blob/c16adb7a11674b66f9e9ca5e5a38e768ce8d5ff3/src/Microsoft.Data.SqlClient/src/Resources/Strings.fr.resx",
  ),
  said(
    "de",
    "Netzwerkbezogener oder instanzspezifischer Fehler beim Herstellen einer Verbindung mit SQL Server.",
    0.9,
    "https://github.com/dotnet/SqlClient/blob/c16adb7a11674b66f9e9ca5e5a38e768ce8d5ff3/src/Microsoft.Data.SqlClient/src/Resources/Strings.de.resx",
  ),
  said(
    "es",
    "Error relacionado con la red o específico de la instancia mientras se establecía una conexión con el servidor SQL Server.",
    0.9,
    "https://github.com/dotnet/SqlClient/blob/c16adb7a11674b66f9e9ca5e5a38e768ce8d5ff3/src/Microsoft.Data.SqlClient/src/Resources/Strings.es.resx",
  ),
  said(
    "it",
    "Si è verificato un errore di rete o specifico dell'istanza mentre si cercava di stabilire una connessione con SQL Server.",
    0.9,
    "https://github.com/dotnet/SqlClient/blob/c16adb7a11674b66f9e9ca5e5a38e768ce8d5ff3/src/Microsoft.Data.SqlClient/src/Resources/Strings.it.resx",
  ),
  said(
    "ja",
    "SQL Server への接続を確立しているときにネットワーク関連またはインスタンス固有のエラーが発生しました。",
    0.9,
    "https://github.com/dotnet/SqlClient/blob/c16adb7a11674b66f9e9ca5e5a38e768ce8d5ff3/src/Microsoft.Data.SqlClient/src/Resources/Strings.ja.resx",
  ),
  said(
    "zh-Hans",
    "在与 SQL Server 建立连接时出现与网络相关的或特定于实例的错误。",
    0.9,
    "https://github.com/dotnet/SqlClient/blob/c16adb7a11674b66f9e9ca5e5a38e768ce8d5ff3/src/Microsoft.Data.SqlClient/src/Resources/Strings.zh-Hans.resx",
  ),
  said(
    "zh-Hant",
    "建立連接至 SQL Server 時，發生網路相關或執行個體特定的錯誤。",
    0.9,
    "https://github.com/dotnet/SqlClient/blob/c16adb7a11674b66f9e9ca5e5a38e768ce8d5ff3/src/Microsoft.Data.SqlClient/src/Resources/Strings.zh-Hant.resx",
  ),
  said(
    "pt-BR",
    "Erro de rede ou específico à instância ao estabelecer conexão com o SQL Server.",
    0.9,
    "https://github.com/dotnet/SqlClient/blob/c16adb7a11674b66f9e9ca5e5a38e768ce8d5ff3/src/Microsoft.Data.SqlClient/src/Resources/Strings.pt-BR.resx",
  ),
  said(
    "ko",
    "SQL Server에 연결을 설정하는 중에 네트워크 관련 또는 인스턴스 관련 오류가 발생했습니다.",
    0.9,
    "https://github.com/dotnet/SqlClient/blob/c16adb7a11674b66f9e9ca5e5a38e768ce8d5ff3/src/Microsoft.Data.SqlClient/src/Resources/Strings.ko.resx",
  ),
  said(
    "ru",
    "При установлении соединения с SQL Server произошла ошибка, связанная с сетью или с определенным экземпляром.",
    0.9,
    "https://github.com/dotnet/SqlClient/blob/c16adb7a11674b66f9e9ca5e5a38e768ce8d5ff3/src/Microsoft.Data.SqlClient/src/Resources/Strings.ru.resx",
  ),
  said(
    "nl",
    "Er is een netwerkgerelateerde of exemplaarspecifieke fout opgetreden tijdens het maken van een verbinding met SQL Server.",
    0.9,
    'GitHub code search for "netwerkgerelateerde of exemplaarspecifieke fout"',
  ),
  said(
    "nl",
    "Een netwerkgerelateerde of exemplaarspecifieke fout is opgetreden bij het maken van een verbinding met SQL Server.",
    0.9,
    'GitHub code search for "netwerkgerelateerde of exemplaarspecifieke fout"',
  ),
  said(
    "de",
    "Ein netzwerkbezogener oder Instanzspezifischer Fehler beim Herstellen einer Verbindung mit SQL Server.",
    0.9,
    'GitHub code search for "netzwerkbezogener oder instanzspezifischer Fehler"',
  ),
  said(
    "es",
    "Se produjo un error relacionado con la red o específico de una instancia al establecer una conexión con SQL Server.",
    0.9,
    'GitHub code search for "Se produjo un error relacionado con la red"',
  ),
  said(
    "es",
    "Se produjo un error relacionado con la red o específico de la instancia al establecer una conexión con SQL Server.",
    0.9,
    'GitHub code search for "Se produjo un error relacionado con la red"',
  ),
  // SqlClient, Named Pipes error 40: "Could not open a connection to SQL Server".
  said(
    "fr",
    "Impossible d'ouvrir une connexion à SQL Server",
    0.8,
    "https://github.com/dotnet/SqlClient/blob/c16adb7a11674b66f9e9ca5e5a38e768ce8d5ff3/src/Microsoft.Data.SqlClient/src/Resources/Strings.fr.resx",
  ),
  said(
    "de",
    "Es konnte keine Verbindung zu SQL Server hergestellt werden",
    0.8,
    "https://github.com/dotnet/SqlClient/blob/c16adb7a11674b66f9e9ca5e5a38e768ce8d5ff3/src/Microsoft.Data.SqlClient/src/Resources/Strings.de.resx",
  ),
  said(
    "es",
    "No se pudo abrir una conexión con SQL Server",
    0.8,
    "https://github.com/dotnet/SqlClient/blob/c16adb7a11674b66f9e9ca5e5a38e768ce8d5ff3/src/Microsoft.Data.SqlClient/src/Resources/Strings.es.resx",
  ),
  said(
    "it",
    "Impossibile aprire una connessione a SQL Server",
    0.8,
    "https://github.com/dotnet/SqlClient/blob/c16adb7a11674b66f9e9ca5e5a38e768ce8d5ff3/src/Microsoft.Data.SqlClient/src/Resources/Strings.it.resx",
  ),
  said(
    "ja",
    "SQL Server への接続を開けませんでした",
    0.8,
    "https://github.com/dotnet/SqlClient/blob/c16adb7a11674b66f9e9ca5e5a38e768ce8d5ff3/src/Microsoft.Data.SqlClient/src/Resources/Strings.ja.resx",
  ),
  said(
    "zh-Hans",
    "无法打开与 SQL Server 的连接",
    0.8,
    "https://github.com/dotnet/SqlClient/blob/c16adb7a11674b66f9e9ca5e5a38e768ce8d5ff3/src/Microsoft.Data.SqlClient/src/Resources/Strings.zh-Hans.resx",
  ),
  said(
    "zh-Hant",
    "無法開啟 SQL Server 連線",
    0.8,
    "https://github.com/dotnet/SqlClient/blob/c16adb7a11674b66f9e9ca5e5a38e768ce8d5ff3/src/Microsoft.Data.SqlClient/src/Resources/Strings.zh-Hant.resx",
  ),
  said(
    "pt-BR",
    "Não foi possível abrir uma conexão com o SQL Server",
    0.8,
    "https://github.com/dotnet/SqlClient/blob/c16adb7a11674b66f9e9ca5e5a38e768ce8d5ff3/src/Microsoft.Data.SqlClient/src/Resources/Strings.pt-BR.resx",
  ),
  said(
    "ko",
    "SQL Server에 대한 연결을 열 수 없습니다.",
    0.8,
    "https://github.com/dotnet/SqlClient/blob/c16adb7a11674b66f9e9ca5e5a38e768ce8d5ff3/src/Microsoft.Data.SqlClient/src/Resources/Strings.ko.resx",
  ),
  said(
    "ru",
    "Не удалось открыть соединение с SQL Server",
    0.8,
    "https://github.com/dotnet/SqlClient/blob/c16adb7a11674b66f9e9ca5e5a38e768ce8d5ff3/src/Microsoft.Data.SqlClient/src/Resources/Strings.ru.resx",
  ),
  // Its second sentence, "The server was not found or was not accessible": any server, so it only supports.
  said(
    "fr",
    "Le serveur est introuvable ou n'est pas accessible.",
    0.5,
    "https://github.com/dotnet/SqlClient/blob/c16adb7a11674b66f9e9ca5e5a38e768ce8d5ff3/src/Microsoft.Data.SqlClient/src/Resources/Strings.fr.resx",
  ),
  said(
    "de",
    "Der Server wurde nicht gefunden, oder auf ihn kann nicht zugegriffen werden.",
    0.5,
    "https://github.com/dotnet/SqlClient/blob/c16adb7a11674b66f9e9ca5e5a38e768ce8d5ff3/src/Microsoft.Data.SqlClient/src/Resources/Strings.de.resx",
  ),
  said(
    "es",
    "No se encontró el servidor o éste no estaba accesible.",
    0.5,
    "https://github.com/dotnet/SqlClient/blob/c16adb7a11674b66f9e9ca5e5a38e768ce8d5ff3/src/Microsoft.Data.SqlClient/src/Resources/Strings.es.resx",
  ),
  said(
    "it",
    "Il server non è stato trovato o non è accessibile.",
    0.5,
    "https://github.com/dotnet/SqlClient/blob/c16adb7a11674b66f9e9ca5e5a38e768ce8d5ff3/src/Microsoft.Data.SqlClient/src/Resources/Strings.it.resx",
  ),
  said(
    "ja",
    "サーバーが見つからないかアクセスできません。",
    0.5,
    "https://github.com/dotnet/SqlClient/blob/c16adb7a11674b66f9e9ca5e5a38e768ce8d5ff3/src/Microsoft.Data.SqlClient/src/Resources/Strings.ja.resx",
  ),
  said(
    "zh-Hans",
    "未找到或无法访问服务器。",
    0.5,
    "https://github.com/dotnet/SqlClient/blob/c16adb7a11674b66f9e9ca5e5a38e768ce8d5ff3/src/Microsoft.Data.SqlClient/src/Resources/Strings.zh-Hans.resx",
  ),
  said(
    "zh-Hant",
    "找不到或無法存取伺服器。",
    0.5,
    "https://github.com/dotnet/SqlClient/blob/c16adb7a11674b66f9e9ca5e5a38e768ce8d5ff3/src/Microsoft.Data.SqlClient/src/Resources/Strings.zh-Hant.resx",
  ),
  said(
    "pt-BR",
    "O servidor não foi encontrado ou não estava acessível.",
    0.5,
    "https://github.com/dotnet/SqlClient/blob/c16adb7a11674b66f9e9ca5e5a38e768ce8d5ff3/src/Microsoft.Data.SqlClient/src/Resources/Strings.pt-BR.resx",
  ),
  said(
    "ko",
    "서버를 찾을 수 없거나 액세스할 수 없습니다.",
    0.5,
    "https://github.com/dotnet/SqlClient/blob/c16adb7a11674b66f9e9ca5e5a38e768ce8d5ff3/src/Microsoft.Data.SqlClient/src/Resources/Strings.ko.resx",
  ),
  said(
    "ru",
    "Сервер не найден или недоступен.",
    0.5,
    "https://github.com/dotnet/SqlClient/blob/c16adb7a11674b66f9e9ca5e5a38e768ce8d5ff3/src/Microsoft.Data.SqlClient/src/Resources/Strings.ru.resx",
  ),
  said(
    "nl",
    "De server is niet gevonden of is niet toegankelijk.",
    0.5,
    'GitHub code search for "netwerkgerelateerde of exemplaarspecifieke fout"',
  ),
  said(
    "nl",
    "De server wordt niet gevonden of toegang tot de server is niet mogelijk.",
    0.5,
    'GitHub code search for "netwerkgerelateerde of exemplaarspecifieke fout"',
  ),
  said(
    "de",
    "Der Server wurde nicht gefunden oder war nicht zugänglich.",
    0.5,
    'GitHub code search for "netzwerkbezogener oder instanzspezifischer Fehler"',
  ),
  said(
    "de",
    "Der Server wurde nicht gefunden oder es konnte nicht auf ihn zugegriffen werden.",
    0.5,
    'GitHub code search for "netzwerkbezogener oder instanzspezifischer Fehler"',
  ),
  said(
    "es",
    "No se detectó el servidor o no estaba accesible.",
    0.5,
    'GitHub code search for "Se produjo un error relacionado con la red"',
  ),
  said(
    "es",
    "No se encontró el servidor o no se pudo obtener acceso a él.",
    0.5,
    'GitHub code search for "Se produjo un error relacionado con la red"',
  ),
  said(
    "es",
    "El servidor no se encuentra o no está accesible.",
    0.5,
    'GitHub code search for "Se produjo un error relacionado con la red"',
  ),
  // SQL Server error 18456, "Login failed for user '…'" (the part before or after the name): weak alone, as in English.
  said(
    "fr",
    "Échec de la connexion pour l'utilisateur",
    0.5,
    "https://github.com/zelanko/sql-docs.fr-fr/blob/04ef3194abd4396e00ae9566cee6cbbd9f7c616c/docs/relational-databases/errors-events/mssqlserver-18456-database-engine-error.md",
  ),
  said(
    "es",
    "Error de inicio de sesión del usuario",
    0.5,
    "https://github.com/zelanko/sql-docs.es-es/blob/065167906d4ed4593e43124f45af2cfe465384e9/docs/relational-databases/errors-events/mssqlserver-18456-database-engine-error.md",
  ),
  said(
    "it",
    "Accesso non riuscito per l'utente",
    0.5,
    "https://github.com/zelanko/sql-docs.it-it/blob/054013d9cd6f2c81f53fc91a7eafc8043f12c380/docs/relational-databases/errors-events/mssqlserver-18456-database-engine-error.md",
  ),
  said(
    "de",
    "Fehler bei der Anmeldung für den Benutzer",
    0.5,
    "https://github.com/zelanko/sql-docs.de-de/blob/22a2132efd13a6f817292342f229b7f0b5a23036/docs/relational-databases/errors-events/mssqlserver-18456-database-engine-error.md",
  ),
  said(
    "ja",
    "はログインできませんでした。",
    0.5,
    "https://github.com/zelanko/sql-docs.ja-jp/blob/04c9049a363f4d284758832ba4a57f739fdac1bf/docs/relational-databases/errors-events/mssqlserver-18456-database-engine-error.md",
  ),
  said(
    "ko",
    "이(가) 로그인하지 못했습니다.",
    0.5,
    "https://github.com/zelanko/sql-docs.ko-kr/blob/0be6218ea66c7693366726eea480d198e3701c61/docs/relational-databases/errors-events/mssqlserver-18456-database-engine-error.md",
  ),
  said(
    "pt-BR",
    "Falha no logon do usuário",
    0.5,
    "https://github.com/zelanko/sql-docs.pt-br/blob/10d4245416ac6807edb4f101a2752b3ce8eae0b3/docs/relational-databases/errors-events/mssqlserver-18456-database-engine-error.md",
  ),
  said(
    "ru",
    "Ошибка входа пользователя",
    0.5,
    "https://github.com/zelanko/sql-docs.ru-ru/blob/0577e56961ea5ce7cb878af92453fc66513d5074/docs/relational-databases/errors-events/mssqlserver-18456-database-engine-error.md",
  ),
  said(
    "fr",
    "Échec de l'ouverture de session de l'utilisateur",
    0.5,
    "GitHub code search for \"chec de l'ouverture de session de l'utilisateur\"",
  ),
  said(
    "nl",
    "Aanmelden is mislukt voor gebruiker",
    0.5,
    'GitHub code search for "Aanmelden is mislukt voor gebruiker"',
  ),
  // The Chinese 18456 message is "用户 '…' 登录失败。": the words after the name are too common alone, so they count
  // only in a paste that names SQL (the SqlClient frames or the server).
  {
    ...said(
      "zh-Hans",
      "登录失败",
      0.65,
      "https://github.com/yy28/sql-docs.zh-cn/blob/04055bcaed945bc5818739ed907d7d39d64b9ebc/docs/relational-databases/errors-events/mssqlserver-18456-database-engine-error.md",
    ),
    onlyWith: ["sql"],
  },
  {
    ...said(
      "zh-Hant",
      "登入失敗",
      0.65,
      "https://github.com/zelanko/sql-docs.zh-tw/blob/08c2e68f40717cb1065b41d7e678d0e5501070b9/docs/relational-databases/errors-events/mssqlserver-18456-database-engine-error.md",
    ),
    onlyWith: ["sql"],
  },
  // SQL Server error 4060, "Cannot open database \"…\" requested by the login. The login failed." (either side of the name).
  said(
    "fr",
    "Impossible d'ouvrir la base de données",
    0.75,
    "GitHub code search for \"chec de l'ouverture de session de l'utilisateur\"",
  ),
  said(
    "fr",
    "demandée par la connexion. La connexion a échoué.",
    0.75,
    "GitHub code search for \"chec de l'ouverture de session de l'utilisateur\"",
  ),
  said(
    "de",
    "Datenbank kann nicht geöffnet werden. Fehler bei der Anmeldung.",
    0.75,
    'GitHub code search for "| 4060 |16 |"',
  ),
  said(
    "de",
    "die von der Anmeldung angeforderte Datenbank",
    0.75,
    'GitHub code search for "von der Anmeldung angeforderte Datenbank"',
  ),
  said(
    "de",
    "kann nicht geöffnet werden. Die Anmeldung ist fehlgeschlagen.",
    0.75,
    'GitHub code search for "von der Anmeldung angeforderte Datenbank"',
  ),
  said("pt-BR", "Não é possível abrir o banco de dados", 0.75, 'GitHub code search for "| 4060 |16 |"'),
  said("pt-BR", "solicitado pelo logon. Falha no logon.", 0.75, 'GitHub code search for "| 4060 |16 |"'),
  said("fr", "Impossible d'ouvrir de base de données", 0.75, 'GitHub code search for "| 4060 |16 |"'),
  said("nl", "Kan database niet openen", 0.75, 'GitHub code search for "| 4060 |16 |"'),
  said(
    "nl",
    "aangevraagd door de aanmelding. De aanmelding is mislukt.",
    0.75,
    'GitHub code search for "| 4060 |16 |"',
  ),
  said("es", "No se puede abrir la base de datos", 0.75, 'GitHub code search for "| 4060 |16 |No se puede"'),
  said(
    "es",
    "solicitada por el inicio de sesión. Error de inicio de sesión.",
    0.75,
    'GitHub code search for "| 4060 |16 |No se puede"',
  ),
  said("it", "Impossibile aprire il database", 0.75, 'GitHub code search for "| 4060 |16 |Impossibile"'),
  said(
    "it",
    "richiesto dall'account di accesso. Accesso non riuscito.",
    0.75,
    'GitHub code search for "| 4060 |16 |Impossibile"',
  ),
  said("ja", "ログインで要求されたデータベース", 0.75, 'GitHub code search for "| 4060 |16 |ログイン"'),
  said(
    "ja",
    "を開くことができません。 ログインに失敗しました。",
    0.75,
    'GitHub code search for "| 4060 |16 |ログイン"',
  ),
  said("zh-Hans", "无法打开该登录请求的数据库", 0.75, 'GitHub code search for "| 4060 |16 |无法"'),
  said("zh-Hant", "無法開啟登入所要求的資料庫", 0.75, 'GitHub code search for "| 4060 |16 |無法"'),
  said("ru", "Невозможно открыть базу данных", 0.75, 'GitHub code search for "| 4060 |16 |Н"'),
  said("ru", "запрашиваемую именем входа. Не удалось выполнить вход.", 0.75, 'GitHub code search for "| 4060 |16 |Н"'),
  said("ru", "запрашиваемую именем входа. Вход в систему не выполнен.", 0.75, 'GitHub code search for "| 4060 |16 |Н"'),
  said("ko", "로그인에서 요청된 데이터베이스", 0.75, 'GitHub code search for "| 4060 |16 |로그인"'),
  said("ko", "을(를) 열 수 없습니다. 로그인이 실패했습니다.", 0.75, 'GitHub code search for "| 4060 |16 |로그인"'),
];

/** Microsoft Entra's descriptions of the sign-in failures that leave the scanner without a token. */
const signInDescriptions: SignatureInput[] = [
  // AADSTS50076 / AADSTS50079: multi-factor authentication required or to be registered.
  described(
    "fr",
    "en raison d’une modification de la configuration apportée par l’administrateur, ou du déplacement vers un nouvel emplacement, l’utilisateur est tenu d’utiliser l’authentification multifacteur pour accéder à la ressource.",
    mfa,
    "https://github.com/stephanemora/azure-docs.fr-fr/blob/1121315a9266eab3b8cf53b80577e2de0378aabd/articles/active-directory/develop/reference-aadsts-error-codes.md",
  ),
  described(
    "fr",
    "en raison d’une modification de la configuration apportée par l’administrateur, ou du déplacement de l’utilisateur vers un nouvel emplacement, l’utilisateur est tenu d’utiliser l’authentification multifacteur.",
    mfa,
    "https://github.com/stephanemora/azure-docs.fr-fr/blob/1121315a9266eab3b8cf53b80577e2de0378aabd/articles/active-directory/develop/reference-aadsts-error-codes.md",
  ),
  described(
    "it",
    "a causa di una modifica di configurazione apportata dall'amministratore o del trasferimento dell'utente in una nuova località, l'utente deve usare l'autenticazione a più fattori per accedere alla risorsa.",
    mfa,
    "https://github.com/changeworld/azure-docs.it-it/blob/29823b01395eb2c6de03e67f07a8268ca026a34a/articles/active-directory/develop/reference-aadsts-error-codes.md",
  ),
  described(
    "it",
    "a causa di una modifica di configurazione apportata dall'amministratore o del trasferimento dell'utente in una nuova località, l'utente è tenuto a usare l'autenticazione a più fattori.",
    mfa,
    "https://github.com/changeworld/azure-docs.it-it/blob/29823b01395eb2c6de03e67f07a8268ca026a34a/articles/active-directory/develop/reference-aadsts-error-codes.md",
  ),
  described(
    "ja",
    "管理者による構成変更により、またはユーザーが新しい場所に移動したため、ユーザーはリソースにアクセスする際に多要素認証を使用する必要があります。",
    mfa,
    "https://github.com/changeworld/azure-docs.ja-jp/blob/05fcca9578360bbd4d10c1b695d308908ba04e4b/articles/active-directory/develop/reference-aadsts-error-codes.md",
  ),
  described(
    "ja",
    "管理者による構成変更により、またはユーザーが新しい場所に移動したため、ユーザーは多要素認証を使用する必要があります。",
    mfa,
    "https://github.com/changeworld/azure-docs.ja-jp/blob/05fcca9578360bbd4d10c1b695d308908ba04e4b/articles/active-directory/develop/reference-aadsts-error-codes.md",
  ),
  described(
    "zh-Hant",
    "由於系統管理員所做的設定變更，或因為您已移至新位置，所以使用者必須使用多重要素驗證來存取資源。",
    mfa,
    "https://github.com/changeworld/azure-docs.zh-tw/blob/080116c5b44060e8341ea761b39cbcd25bae5b0c/articles/active-directory/develop/reference-aadsts-error-codes.md",
  ),
  described(
    "zh-Hant",
    "由於系統管理員所做的組態變更，或因為使用者已移至新位置，所以使用者需要使用多重要素驗證。",
    mfa,
    "https://github.com/changeworld/azure-docs.zh-tw/blob/080116c5b44060e8341ea761b39cbcd25bae5b0c/articles/active-directory/develop/reference-aadsts-error-codes.md",
  ),
  described(
    "zh-Hans",
    "由于管理员做了配置更改，或者你已移到新位置，用户必须使用多重身份验证来访问资源。",
    mfa,
    "https://github.com/renhuailin/azure-docs.zh-cn/blob/3afc1f4b4c6484a934d79a6b3663690b97267a02/articles/active-directory/develop/reference-aadsts-error-codes.md",
  ),
  described(
    "zh-Hans",
    "由于管理员做了配置更改，或者用户已移到新位置，该用户需要使用多重身份验证。",
    mfa,
    "https://github.com/renhuailin/azure-docs.zh-cn/blob/3afc1f4b4c6484a934d79a6b3663690b97267a02/articles/active-directory/develop/reference-aadsts-error-codes.md",
  ),
  described(
    "de",
    "Aufgrund einer Konfigurationsänderung durch den Administrator oder aufgrund einer Verschiebung an einen neuen Standort muss der Benutzer für den Zugriff auf die Ressource eine mehrstufige Authentifizierung verwenden.",
    mfa,
    "https://github.com/otrekw/azure-docs.de-de/blob/080d5d7107b7589b16de366c56f84461c9aea77a/articles/active-directory/develop/reference-aadsts-error-codes.md",
  ),
  described(
    "de",
    "Aufgrund einer Konfigurationsänderung durch den Administrator oder eines neuen Standorts des Benutzers muss der Benutzer mehrstufige Authentifizierung verwenden.",
    mfa,
    "https://github.com/otrekw/azure-docs.de-de/blob/080d5d7107b7589b16de366c56f84461c9aea77a/articles/active-directory/develop/reference-aadsts-error-codes.md",
  ),
  described(
    "es",
    "debido a un cambio de configuración realizado por el administrador, o porque usted se ha trasladado a una nueva ubicación, el usuario debe usar la autenticación multifactor para tener acceso al recurso.",
    mfa,
    "https://github.com/ebarbosahsi/azure-docs.es-es/blob/87c2f6d4f629e1ddc81bc316df0a58f2885a6fba/articles/active-directory/develop/reference-aadsts-error-codes.md",
  ),
  described(
    "es",
    "debido a un cambio de configuración realizado por el administrador, o porque el usuario se ha trasladado a una nueva ubicación, el usuario debe usar la autenticación multifactor.",
    mfa,
    "https://github.com/ebarbosahsi/azure-docs.es-es/blob/87c2f6d4f629e1ddc81bc316df0a58f2885a6fba/articles/active-directory/develop/reference-aadsts-error-codes.md",
  ),
  described(
    "pt-BR",
    "Devido a uma alteração de configuração feita pelo administrador, ou porque você foi movido para um novo local, o usuário deve usar a autenticação de vários fatores para acessar o recurso.",
    mfa,
    "https://github.com/robertorcosta/azure-docs.pt-br/blob/01cf850cdd0836096d5421f318cc4b051f5185b6/articles/active-directory/develop/reference-aadsts-error-codes.md",
  ),
  described(
    "pt-BR",
    "Devido a uma alteração de configuração feita pelo administrador ou porque o usuário foi movido para um novo local, o usuário é solicitado a usar a autenticação multifator.",
    mfa,
    "https://github.com/robertorcosta/azure-docs.pt-br/blob/01cf850cdd0836096d5421f318cc4b051f5185b6/articles/active-directory/develop/reference-aadsts-error-codes.md",
  ),
  described(
    "ko",
    "관리자가 구성을 변경했거나 사용자가 새 위치로 이동했기 때문에 사용자가 리소스에 액세스하기 위해 다단계 인증을 사용해야 합니다.",
    mfa,
    "https://github.com/Microsoft/azure-docs.ko-kr/blob/c9713cbec311143595e52da165186d42a303ac73/articles/active-directory/develop/reference-aadsts-error-codes.md",
  ),
  described(
    "ko",
    "관리자가 구성을 변경했거나 사용자가 새 위치로 이동했기 때문에 사용자는 다단계 인증을 사용해야 합니다.",
    mfa,
    "https://github.com/Microsoft/azure-docs.ko-kr/blob/c9713cbec311143595e52da165186d42a303ac73/articles/active-directory/develop/reference-aadsts-error-codes.md",
  ),
  described(
    "ru",
    "из-за изменения администратором конфигурации или перемещения в другое расположение для доступа к ресурсу необходимо использовать многофакторную проверку подлинности.",
    mfa,
    "https://github.com/bergano65/azure-docs.ru-ru/blob/065f353708af4090c5f19db2dc47401d0b7fcc44/articles/active-directory/develop/reference-aadsts-error-codes.md",
  ),
  described(
    "ru",
    "из-за внесенного администратором изменения конфигурации или после перемещения в новое местоположение пользователю необходимо пройти многофакторную проверку подлинности.",
    mfa,
    "https://github.com/bergano65/azure-docs.ru-ru/blob/065f353708af4090c5f19db2dc47401d0b7fcc44/articles/active-directory/develop/reference-aadsts-error-codes.md",
  ),
  described(
    "nl",
    "als gevolg van een configuratie wijziging die door de beheerder is aangebracht, of omdat u naar een nieuwe locatie hebt verplaatst, moet de gebruiker multi-factor Authentication gebruiken om toegang te krijgen tot de resource.",
    mfa,
    "https://github.com/scorpido74/azure-docs.nl-nl/blob/1d2d54932903f88610e1eba4119f58b5fa942bfb/articles/active-directory/develop/reference-aadsts-error-codes.md",
  ),
  described(
    "nl",
    "als gevolg van een configuratie wijziging die door de beheerder is aangebracht, of omdat de gebruiker is verplaatst naar een nieuwe locatie, is de gebruiker verplicht om multi-factor Authentication te gebruiken.",
    mfa,
    "https://github.com/scorpido74/azure-docs.nl-nl/blob/1d2d54932903f88610e1eba4119f58b5fa942bfb/articles/active-directory/develop/reference-aadsts-error-codes.md",
  ),
  // AADSTS70002: error validating credentials, the client_secret does not match.
  described(
    "fr",
    "erreur de validation des informations d’identification. La clé secrète client (client_secret) spécifiée ne correspond pas à la valeur attendue pour ce client.",
    rejected,
    "https://github.com/stephanemora/azure-docs.fr-fr/blob/1121315a9266eab3b8cf53b80577e2de0378aabd/articles/active-directory/develop/reference-aadsts-error-codes.md",
  ),
  described(
    "it",
    "errore di convalida delle credenziali. Il valore di client_secret specificato non corrisponde al valore previsto per questo client.",
    rejected,
    "https://github.com/changeworld/azure-docs.it-it/blob/29823b01395eb2c6de03e67f07a8268ca026a34a/articles/active-directory/develop/reference-aadsts-error-codes.md",
  ),
  described(
    "ja",
    "資格情報の検証中にエラーが発生しました。 指定された client_secret が、このクライアントに予期される値と一致しません。",
    rejected,
    "https://github.com/changeworld/azure-docs.ja-jp/blob/05fcca9578360bbd4d10c1b695d308908ba04e4b/articles/active-directory/develop/reference-aadsts-error-codes.md",
  ),
  described(
    "zh-Hant",
    "驗證認證時發生錯誤。 指定的 client_secret 與此用戶端預期的值不符。",
    rejected,
    "https://github.com/changeworld/azure-docs.zh-tw/blob/080116c5b44060e8341ea761b39cbcd25bae5b0c/articles/active-directory/develop/reference-aadsts-error-codes.md",
  ),
  described(
    "zh-Hans",
    "验证凭据时出错。 指定的 client_secret 与此客户端的预期值不匹配。",
    rejected,
    "https://github.com/renhuailin/azure-docs.zh-cn/blob/3afc1f4b4c6484a934d79a6b3663690b97267a02/articles/active-directory/develop/reference-aadsts-error-codes.md",
  ),
  described(
    "de",
    "Fehler beim Überprüfen der Anmeldeinformationen. Der angegebene Wert für „client_secret“ entspricht nicht dem erwarteten Wert für diesen Client.",
    rejected,
    "https://github.com/otrekw/azure-docs.de-de/blob/080d5d7107b7589b16de366c56f84461c9aea77a/articles/active-directory/develop/reference-aadsts-error-codes.md",
  ),
  described(
    "es",
    "error al validar las credenciales. El valor de client_secret especificado no coincide con el esperado para este cliente.",
    rejected,
    "https://github.com/ebarbosahsi/azure-docs.es-es/blob/87c2f6d4f629e1ddc81bc316df0a58f2885a6fba/articles/active-directory/develop/reference-aadsts-error-codes.md",
  ),
  described(
    "pt-BR",
    "Erro ao validar as credenciais. O client_secret especificado não corresponde ao valor esperado para este cliente.",
    rejected,
    "https://github.com/robertorcosta/azure-docs.pt-br/blob/01cf850cdd0836096d5421f318cc4b051f5185b6/articles/active-directory/develop/reference-aadsts-error-codes.md",
  ),
  described(
    "ko",
    "자격 증명 유효성을 검사하는 중 오류가 발생했습니다. 지정된 client_secret이 이 클라이언트에 대해 필요한 값과 일치하지 않습니다.",
    rejected,
    "https://github.com/Microsoft/azure-docs.ko-kr/blob/c9713cbec311143595e52da165186d42a303ac73/articles/active-directory/develop/reference-aadsts-error-codes.md",
  ),
  described(
    "ru",
    "ошибка при проверке учетных данных. Указанное значение client_secret не соответствует ожидаемому значению для этого клиента.",
    rejected,
    "https://github.com/bergano65/azure-docs.ru-ru/blob/065f353708af4090c5f19db2dc47401d0b7fcc44/articles/active-directory/develop/reference-aadsts-error-codes.md",
  ),
  described(
    "nl",
    "fout bij het valideren van de referenties. De opgegeven client_secret komt niet overeen met de verwachte waarde voor deze client.",
    rejected,
    "https://github.com/scorpido74/azure-docs.nl-nl/blob/1d2d54932903f88610e1eba4119f58b5fa942bfb/articles/active-directory/develop/reference-aadsts-error-codes.md",
  ),
  // AADSTS7000215: invalid client secret.
  described(
    "fr",
    "La clé secrète client fournie n’est pas valide.",
    `Invalid client secret (AADSTS7000215): ${secretWrong}`,
    "https://github.com/stephanemora/azure-docs.fr-fr/blob/1121315a9266eab3b8cf53b80577e2de0378aabd/articles/active-directory/develop/reference-aadsts-error-codes.md",
  ),
  described(
    "it",
    "Viene fornito un segreto client non valido.",
    `Invalid client secret (AADSTS7000215): ${secretWrong}`,
    "https://github.com/changeworld/azure-docs.it-it/blob/29823b01395eb2c6de03e67f07a8268ca026a34a/articles/active-directory/develop/reference-aadsts-error-codes.md",
  ),
  described(
    "zh-Hans",
    "提供的客户端密码无效。",
    `Invalid client secret (AADSTS7000215): ${secretWrong}`,
    "https://github.com/renhuailin/azure-docs.zh-cn/blob/3afc1f4b4c6484a934d79a6b3663690b97267a02/articles/active-directory/develop/reference-aadsts-error-codes.md",
  ),
  described(
    "de",
    "Es wurde ein ungültiger geheimer Clientschlüssel bereitgestellt.",
    `Invalid client secret (AADSTS7000215): ${secretWrong}`,
    "https://github.com/otrekw/azure-docs.de-de/blob/080d5d7107b7589b16de366c56f84461c9aea77a/articles/active-directory/develop/reference-aadsts-error-codes.md",
  ),
  described(
    "es",
    "Se ha proporcionado un secreto de cliente no válido.",
    `Invalid client secret (AADSTS7000215): ${secretWrong}`,
    "https://github.com/ebarbosahsi/azure-docs.es-es/blob/87c2f6d4f629e1ddc81bc316df0a58f2885a6fba/articles/active-directory/develop/reference-aadsts-error-codes.md",
  ),
  described(
    "ko",
    "잘못된 클라이언트 비밀을 제공합니다.",
    `Invalid client secret (AADSTS7000215): ${secretWrong}`,
    "https://github.com/zoonoo/azure-docs.ko-kr/blob/09bde4032e6f3f0ec8e1a54b7e00e729143fa402/articles/active-directory/develop/reference-aadsts-error-codes.md",
  ),
  described(
    "nl",
    "Er is een ongeldig client geheim gegeven.",
    `Invalid client secret (AADSTS7000215): ${secretWrong}`,
    "https://github.com/scorpido74/azure-docs.nl-nl/blob/1d2d54932903f88610e1eba4119f58b5fa942bfb/articles/active-directory/develop/reference-aadsts-error-codes.md",
  ),
  described(
    "zh-Hant",
    "提供的用戶端祕密無效。",
    `Invalid client secret (AADSTS7000215): ${secretWrong}`,
    'GitHub code search for "AADSTS7000215 | 提供的用戶端"',
  ),
  // AADSTS7000222: the client secret has expired.
  described(
    "fr",
    "les clés secrètes client fournies ont expiré.",
    secretExpired,
    "https://github.com/stephanemora/azure-docs.fr-fr/blob/1121315a9266eab3b8cf53b80577e2de0378aabd/articles/active-directory/develop/reference-aadsts-error-codes.md",
  ),
  described(
    "it",
    "le chiavi segrete del client specificate sono scadute.",
    secretExpired,
    "https://github.com/changeworld/azure-docs.it-it/blob/29823b01395eb2c6de03e67f07a8268ca026a34a/articles/active-directory/develop/reference-aadsts-error-codes.md",
  ),
  described(
    "zh-Hans",
    "提供的客户端密钥已过期。",
    secretExpired,
    "https://github.com/renhuailin/azure-docs.zh-cn/blob/3afc1f4b4c6484a934d79a6b3663690b97267a02/articles/active-directory/develop/reference-aadsts-error-codes.md",
  ),
  described(
    "de",
    "Die angegebenen geheimen Clientschlüssel sind abgelaufen.",
    secretExpired,
    "https://github.com/otrekw/azure-docs.de-de/blob/080d5d7107b7589b16de366c56f84461c9aea77a/articles/active-directory/develop/reference-aadsts-error-codes.md",
  ),
  described(
    "es",
    "las claves secretas de cliente que se proporcionaron expiraron.",
    secretExpired,
    "https://github.com/ebarbosahsi/azure-docs.es-es/blob/87c2f6d4f629e1ddc81bc316df0a58f2885a6fba/articles/active-directory/develop/reference-aadsts-error-codes.md",
  ),
  described(
    "pt-BR",
    "As chaves secretas do cliente fornecidas estão expiradas.",
    secretExpired,
    "https://github.com/robertorcosta/azure-docs.pt-br/blob/01cf850cdd0836096d5421f318cc4b051f5185b6/articles/active-directory/develop/reference-aadsts-error-codes.md",
  ),
  described(
    "ko",
    "제공 된 클라이언트 비밀 키가 만료 되었습니다.",
    secretExpired,
    "https://github.com/zoonoo/azure-docs.ko-kr/blob/09bde4032e6f3f0ec8e1a54b7e00e729143fa402/articles/active-directory/develop/reference-aadsts-error-codes.md",
  ),
  described(
    "ru",
    "срок действия предоставленных секретных ключей клиента истек.",
    secretExpired,
    "https://github.com/bergano65/azure-docs.ru-ru/blob/065f353708af4090c5f19db2dc47401d0b7fcc44/articles/active-directory/develop/reference-aadsts-error-codes.md",
  ),
  described(
    "nl",
    "de aangestuurde geheime sleutels van de client zijn verlopen.",
    secretExpired,
    "https://github.com/scorpido74/azure-docs.nl-nl/blob/1d2d54932903f88610e1eba4119f58b5fa942bfb/articles/active-directory/develop/reference-aadsts-error-codes.md",
  ),
  described(
    "zh-Hant",
    "提供的用戶端秘密金鑰已過期。",
    secretExpired,
    'GitHub code search for "AADSTS7000215 | 提供的用戶端"',
  ),
  // AADSTS53003: blocked by Conditional Access.
  described(
    "fr",
    "l’accès a été bloqué par des stratégies d’accès conditionnel. La stratégie d’accès n’autorise pas l’émission de jeton.",
    `Blocked by Conditional Access (AADSTS53003): ${conditionalAccess}`,
    "https://github.com/stephanemora/azure-docs.fr-fr/blob/1121315a9266eab3b8cf53b80577e2de0378aabd/articles/active-directory/develop/reference-aadsts-error-codes.md",
  ),
  described(
    "it",
    "l'accesso è stato bloccato dai criteri di accesso condizionale. Il criterio di accesso non permette il rilascio di token.",
    `Blocked by Conditional Access (AADSTS53003): ${conditionalAccess}`,
    "https://github.com/changeworld/azure-docs.it-it/blob/29823b01395eb2c6de03e67f07a8268ca026a34a/articles/active-directory/develop/reference-aadsts-error-codes.md",
  ),
  described(
    "ja",
    "条件付きアクセス ポリシーにより、アクセスがブロックされました。 アクセス ポリシーでは、トークンの発行が許可されていません。",
    `Blocked by Conditional Access (AADSTS53003): ${conditionalAccess}`,
    "https://github.com/changeworld/azure-docs.ja-jp/blob/05fcca9578360bbd4d10c1b695d308908ba04e4b/articles/active-directory/develop/reference-aadsts-error-codes.md",
  ),
  described(
    "zh-Hant",
    "存取已被條件式存取原則封鎖。 存取原則不允許發行權杖。",
    `Blocked by Conditional Access (AADSTS53003): ${conditionalAccess}`,
    "https://github.com/changeworld/azure-docs.zh-tw/blob/080116c5b44060e8341ea761b39cbcd25bae5b0c/articles/active-directory/develop/reference-aadsts-error-codes.md",
  ),
  described(
    "zh-Hans",
    "条件访问策略已阻止访问。 访问策略不允许令牌颁发。",
    `Blocked by Conditional Access (AADSTS53003): ${conditionalAccess}`,
    "https://github.com/renhuailin/azure-docs.zh-cn/blob/3afc1f4b4c6484a934d79a6b3663690b97267a02/articles/active-directory/develop/reference-aadsts-error-codes.md",
  ),
  described(
    "de",
    "Zugriff wurde von Richtlinien für bedingten Zugriff blockiert. Die Zugriffsrichtlinie erlaubt nicht die Ausstellung von Token.",
    `Blocked by Conditional Access (AADSTS53003): ${conditionalAccess}`,
    "https://github.com/otrekw/azure-docs.de-de/blob/080d5d7107b7589b16de366c56f84461c9aea77a/articles/active-directory/develop/reference-aadsts-error-codes.md",
  ),
  described(
    "es",
    "se ha bloqueado el acceso a las directivas de acceso condicional. La directiva de acceso no admite la emisión de tokens.",
    `Blocked by Conditional Access (AADSTS53003): ${conditionalAccess}`,
    "https://github.com/ebarbosahsi/azure-docs.es-es/blob/87c2f6d4f629e1ddc81bc316df0a58f2885a6fba/articles/active-directory/develop/reference-aadsts-error-codes.md",
  ),
  described(
    "pt-BR",
    "O acesso foi bloqueado por políticas de acesso condicional. A política de acesso não permite a emissão de token.",
    `Blocked by Conditional Access (AADSTS53003): ${conditionalAccess}`,
    "https://github.com/robertorcosta/azure-docs.pt-br/blob/01cf850cdd0836096d5421f318cc4b051f5185b6/articles/active-directory/develop/reference-aadsts-error-codes.md",
  ),
  described(
    "ko",
    "조건부 액세스 정책에 의해 액세스가 차단 되었습니다. 액세스 정책에 따라 토큰 발급을 허용하지 않습니다.",
    `Blocked by Conditional Access (AADSTS53003): ${conditionalAccess}`,
    "https://github.com/Microsoft/azure-docs.ko-kr/blob/c9713cbec311143595e52da165186d42a303ac73/articles/active-directory/develop/reference-aadsts-error-codes.md",
  ),
  described(
    "ru",
    "доступ заблокирован политиками условного доступа. Политика доступа не разрешает выдачу маркеров.",
    `Blocked by Conditional Access (AADSTS53003): ${conditionalAccess}`,
    "https://github.com/bergano65/azure-docs.ru-ru/blob/065f353708af4090c5f19db2dc47401d0b7fcc44/articles/active-directory/develop/reference-aadsts-error-codes.md",
  ),
  described(
    "nl",
    "toegang is geblokkeerd door beleid voor voorwaardelijke toegang. Het toegangs beleid staat geen token uitgifte toe.",
    `Blocked by Conditional Access (AADSTS53003): ${conditionalAccess}`,
    "https://github.com/scorpido74/azure-docs.nl-nl/blob/1d2d54932903f88610e1eba4119f58b5fa942bfb/articles/active-directory/develop/reference-aadsts-error-codes.md",
  ),
];

const aadstsDocs = "articles/active-directory/develop/reference-aadsts-error-codes.md";
/** The localized reference-error-codes pages each wording below was read in, by language. */
const entraDocs = {
  fr: `https://github.com/stephanemora/azure-docs.fr-fr/blob/1121315a9266eab3b8cf53b80577e2de0378aabd/${aadstsDocs}`,
  frNewer: `https://github.com/stephanemora/azure-docs.fr-fr/blob/78dc270ef7b9ccb044777fa144b68662c6aac914/${aadstsDocs}`,
  de: `https://github.com/otrekw/azure-docs.de-de/blob/080d5d7107b7589b16de366c56f84461c9aea77a/${aadstsDocs}`,
  it: `https://github.com/changeworld/azure-docs.it-it/blob/29823b01395eb2c6de03e67f07a8268ca026a34a/${aadstsDocs}`,
  es: `https://github.com/ebarbosahsi/azure-docs.es-es/blob/87c2f6d4f629e1ddc81bc316df0a58f2885a6fba/${aadstsDocs}`,
  ja: `https://github.com/changeworld/azure-docs.ja-jp/blob/05fcca9578360bbd4d10c1b695d308908ba04e4b/${aadstsDocs}`,
  "zh-Hans": `https://github.com/renhuailin/azure-docs.zh-cn/blob/3afc1f4b4c6484a934d79a6b3663690b97267a02/${aadstsDocs}`,
  "zh-Hant": `https://github.com/changeworld/azure-docs.zh-tw/blob/080116c5b44060e8341ea761b39cbcd25bae5b0c/${aadstsDocs}`,
  "pt-BR": `https://github.com/robertorcosta/azure-docs.pt-br/blob/01cf850cdd0836096d5421f318cc4b051f5185b6/${aadstsDocs}`,
  ko: `https://github.com/Microsoft/azure-docs.ko-kr/blob/c9713cbec311143595e52da165186d42a303ac73/${aadstsDocs}`,
  ru: `https://github.com/bergano65/azure-docs.ru-ru/blob/065f353708af4090c5f19db2dc47401d0b7fcc44/${aadstsDocs}`,
  nl: `https://github.com/scorpido74/azure-docs.nl-nl/blob/1d2d54932903f88610e1eba4119f58b5fa942bfb/${aadstsDocs}`,
} as const;

/**
 * Words that make a paste about Microsoft Entra sign-in. A short, generic sentence ("the password has expired",
 * "administrator consent is required") is Entra's verdict only beside them.
 */
const entraContext = [
  "aadsts",
  "entra",
  "azure ad",
  "azure active directory",
  "login.microsoftonline",
  "msal",
  "adal",
  "set-aipauthentication",
  "set-authentication",
];

type Wordings = [lang: LanguageCode, phrase: string, source?: string][];

/** The same description in each language, from the localized pages unless a wording names its own source. */
function eachLanguage(wordings: Wordings, detail: string, generic = false): SignatureInput[] {
  return wordings.map(([lang, phrase, source]) => {
    const signature = described(lang, phrase, detail, source ?? entraDocs[lang as keyof typeof entraDocs]);
    return generic ? { ...signature, weight: 0.75, onlyWith: entraContext } : signature;
  });
}

const accountCannotSignIn =
  "the account given as -DelegatedUser / -OnBehalfOf could not sign in with the password supplied (wrong, expired, locked or disabled). Fix the account, then run Set-AIPAuthentication again.";
const appNotInTenant =
  "Application not found in the directory (AADSTS700016): no app registration with that AppId exists in the tenant the scanner signs in to: check -AppId and -TenantId, and that the registration was not deleted.";
const consentMissing =
  "Consent missing (AADSTS65001 / AADSTS90094): nobody has granted the permissions the scanner's app registration asks for. In the Microsoft Entra admin center, open the app's API permissions and select Grant admin consent, then authenticate again.";

/** More of Entra's descriptions that leave the scanner without a token: its account or app cannot sign in. */
const accountAndAppDescriptions: SignatureInput[] = [
  // AADSTS50126: error validating credentials due to invalid username or password.
  ...eachLanguage(
    [
      [
        "fr",
        "erreur de validation des informations d’identification en raison d’un nom d’utilisateur ou d’un mot de passe non valide.",
      ],
      [
        "de",
        "Fehler beim Überprüfen der Anmeldeinformationen aufgrund eines ungültigen Benutzernamens oder Kennworts.",
      ],
      ["it", "errore durante la convalida delle credenziali a causa di un nome utente e/o di una password non validi."],
      [
        "es",
        "se ha producido un error al validar las credenciales debido a un nombre de usuario o contraseña no válidos.",
      ],
      // Without its generic tail ("…でエラーが発生しました。"), which any Japanese error shares.
      ["ja", "無効なユーザー名またはパスワードにより、資格情報の検証"],
      ["zh-Hans", "无效的用户名或密码导致验证凭据时出错。"],
      ["zh-Hant", "驗證認證時發生錯誤，因為使用者名稱或密碼無效。"],
      ["pt-BR", "Erro ao validar credenciais devido a nome de usuário ou senha inválidos."],
      // Likewise without "…오류가 발생했습니다.".
      ["ko", "잘못된 사용자 이름 또는 암호로 인해 자격 증명 유효성 검사"],
      ["ru", "ошибка при проверке учетных данных из-за недействительного имени пользователя или пароля."],
      ["nl", "fout bij het valideren van referenties vanwege een ongeldige gebruikers naam of wacht woord."],
    ],
    `Invalid username or password (AADSTS50126): ${accountCannotSignIn}`,
  ),
  // AADSTS50034: the user account does not exist; to sign in, it must be added to the directory.
  ...eachLanguage(
    [
      ["fr", "pour se connecter à cette application, le compte doit être ajouté au répertoire."],
      ["de", "Zum Anmelden bei dieser Anwendung muss das Konto dem Verzeichnis hinzugefügt werden."],
      ["it", "per accedere all'applicazione, l'account deve essere aggiunto alla directory."],
      ["es", "para iniciar sesión en esta aplicación, la cuenta debe agregarse al directorio."],
      ["ja", "このアプリケーションにサインインするには、アカウントがディレクトリに追加されている必要があります。"],
      ["zh-Hans", "若要登录到此应用程序，必须将帐户添加到目录中。"],
      ["zh-Hant", "若要登入此應用程式，必須將帳戶新增至目錄。"],
      ["pt-BR", "Para entrar neste aplicativo, a conta deve ser adicionada ao diretório."],
      ["ko", "이 애플리케이션에 로그인하려면 계정을 해당 디렉터리에 추가해야 합니다."],
      ["ru", "чтобы войти в приложение, учетная запись должна быть добавлена в каталог."],
      ["nl", "als u zich wilt aanmelden bij deze toepassing, moet het account worden toegevoegd aan de Directory."],
    ],
    `User account does not exist in the tenant (AADSTS50034): ${accountCannotSignIn}`,
  ),
  // AADSTS50053: the account is locked after too many sign-ins with a wrong user ID or password.
  ...eachLanguage(
    [
      [
        "fr",
        "le compte est verrouillé, car l’utilisateur a essayé de se connecter un trop grand nombre de fois avec un ID d’utilisateur ou un mot de passe incorrects.",
      ],
      [
        "de",
        "Das Konto ist gesperrt, weil der Benutzer zu häufig versucht hat, sich mit einer falschen Benutzer-ID bzw. einem falschen Kennwort anzumelden.",
      ],
      [
        "it",
        "l'account è bloccato perché l'utente ha tentato di accedere troppe volte con un ID utente e/o una password non corretti.",
      ],
      [
        "es",
        "la cuenta está bloqueada porque el usuario intentó iniciar sesión demasiadas veces con un identificador de usuario o contraseña incorrectos.",
      ],
      [
        "ja",
        "ユーザーが間違ったユーザー ID またはパスワードで何度もサインインを試みたために、アカウントがロックされています。",
      ],
      ["zh-Hans", "帐户已锁定，因为用户尝试使用不正确的用户 ID 或密码登录的次数过多。"],
      ["zh-Hant", "帳戶遭到鎖定，因為使用者嘗試使用不正確的使用者識別碼或密碼登入太多次。"],
      [
        "pt-BR",
        "A conta está bloqueada porque o usuário tentou entrar muitas vezes com uma ID de usuário ou senha incorreta.",
      ],
      ["ko", "잘못된 사용자 ID 또는 암호로 로그인을 너무 많이 시도하여 계정이 잠겨 있습니다."],
      [
        "ru",
        "учетная запись заблокирована из-за большого количества попыток входа с неправильным идентификатором пользователя или паролем.",
      ],
      [
        "nl",
        "het account is vergrendeld omdat de gebruiker te vaak heeft geprobeerd zich aan te melden met een onjuiste gebruikers-ID of een onjuist wacht woord.",
      ],
    ],
    `Account locked (AADSTS50053): ${accountCannotSignIn}`,
  ),
  // AADSTS50055: the password is expired. Any system says so: Entra's only beside sign-in words.
  ...eachLanguage(
    [
      ["fr", "le mot de passe a expiré."],
      ["de", "Das Kennwort ist abgelaufen."],
      ["it", "la password è scaduta."],
      ["es", "la contraseña ha expirado."],
      ["ja", "パスワードの期限が切れています。"],
      ["zh-Hans", "密码已过期。"],
      ["zh-Hant", "密碼已過期。"],
      ["pt-BR", "A senha expirou."],
      ["ko", "암호가 만료되었습니다."],
      ["ru", "истек срок действия пароля."],
      ["nl", "het wacht woord is verlopen."],
    ],
    `Password expired (AADSTS50055): ${accountCannotSignIn}`,
    true,
  ),
  // AADSTS50057: the user account is disabled. Generic too.
  ...eachLanguage(
    [
      ["fr", "le compte d’utilisateur est désactivé."],
      ["de", "Das Benutzerkonto ist deaktiviert."],
      ["it", "l'account utente è disabilitato."],
      ["es", "la cuenta de usuario está deshabilitada."],
      ["ja", "ユーザー アカウントが無効にされています。"],
      ["zh-Hans", "用户帐户处于禁用状态。"],
      ["zh-Hant", "使用者帳戶已停用。"],
      ["pt-BR", "A conta de usuário está desativada."],
      ["ko", "사용자 계정이 비활성화됩니다."],
      ["ru", "учетная запись пользователя отключена."],
      ["nl", "het gebruikers account is uitgeschakeld."],
    ],
    `Account disabled (AADSTS50057): ${accountCannotSignIn}`,
    true,
  ),
  // AADSTS90002: the tenant name was not found in the data store.
  ...eachLanguage(
    [
      ["fr", "le nom du locataire n’a pas été trouvé dans le magasin de données."],
      ["de", "Der Mandantenname wurde im Datenspeicher nicht gefunden."],
      ["es", "no se encontró el nombre del inquilino en el almacén de datos."],
      ["ja", "データ ストアでテナント名が見つかりませんでした。"],
      ["zh-Hans", "在数据存储中找不到该租户名称。"],
      ["zh-Hant", "資料存放區中找不到租用戶名稱。"],
      ["ko", "데이터 저장소에서 테넌트 이름을 찾을 수 없습니다."],
      ["ru", "имя клиента не найдено в хранилище данных."],
      ["nl", "de naam van de Tenant is niet gevonden in het gegevens archief."],
    ],
    "Tenant not found (AADSTS90002): the -TenantId given to Set-AIPAuthentication does not name an existing tenant; copy the tenant ID from the Microsoft Entra admin center.",
  ),
  // AADSTS700016: the application was not found in the directory/tenant.
  ...eachLanguage(
    [
      ["fr", "l’application est introuvable dans le répertoire/locataire.", entraDocs.frNewer],
      ["de", "Die Anwendung wurde nicht im Verzeichnis/Mandanten gefunden."],
      ["it", "l'applicazione non è stata trovata nella directory o nel tenant."],
      ["es", "no se encontró la aplicación en el directorio o inquilino."],
      ["ja", "ディレクトリまたはテナントにアプリケーションが見つかりませんでした。"],
      ["zh-Hans", "应用程序中找不到目录/租户。"],
      ["zh-Hant", "在目錄/租用戶中找不到應用程式。"],
      ["pt-BR", "o aplicativo não foi encontrado no diretório/locatário."],
      ["ko", "디렉터리/테넌트에서 애플리케이션을 찾지 못했습니다."],
      ["ru", "приложение не найдено в клиенте или каталоге."],
      ["nl", "de toepassing is niet gevonden in de map/Tenant."],
    ],
    appNotInTenant,
  ),
  // Its next sentence: the app was not installed by the tenant's administrator nor consented to by a user.
  ...eachLanguage(
    [
      [
        "de",
        "Dies kann auftreten, wenn die Anwendung nicht vom Administrator des Mandanten installiert wurde oder wenn sie von den Benutzern des Mandanten keine Zustimmung erhalten hat.",
      ],
      [
        "fr",
        "Cela peut se produire si l’application n’a pas été installée par l’administrateur du locataire ni acceptée par un utilisateur dans le locataire.",
        entraDocs.frNewer,
      ],
      [
        "pt-BR",
        "Isso poderá acontecer se o aplicativo não tiver sido instalado pelo administrador do locatário ou aceito por qualquer usuário no locatário.",
      ],
      [
        "ja",
        "このエラーは、アプリケーションがテナントの管理者によってインストールされていない場合や、アプリケーションがテナント内のいずれのユーザーによっても同意されていない場合に発生することがあります。",
      ],
    ],
    appNotInTenant,
  ),
];

/** Entra's consent descriptions: a token is issued to nobody until the app's permissions are granted. */
const consentDescriptions: SignatureInput[] = [
  // AADSTS65001: the user or administrator has not consented to use the application with ID '…'.
  ...eachLanguage(
    [
      ["fr", "l’utilisateur ou l’administrateur n’a pas accepté d’utiliser l’application avec ID"],
      ["fr", "Envoyez une requête d’autorisation interactive pour cet utilisateur et cette ressource."],
      ["de", "Der Benutzer oder Administrator hat der Verwendung der Anwendung mit ID"],
      ["de", "Senden Sie eine interaktive Autorisierungsanforderung für diesen Benutzer und diese Ressource."],
      ["it", "l'utente o l'amministratore non ha acconsentito all'uso dell'applicazione con ID"],
      ["it", "Inviare una richiesta di autorizzazione interattiva per questo utente e questa risorsa."],
      [
        "es",
        "el usuario o el administrador no han dado su consentimiento para usar la aplicación con el identificador",
      ],
      ["es", "Envíe una solicitud de autorización interactiva para este usuario y recurso."],
      ["ja", "という ID でアプリケーションを使用することにユーザーまたは管理者が同意していません。"],
      ["ja", "このユーザーとリソースのインタラクティブな承認要求を送信してください。"],
      ["zh-Hans", "用户或管理员尚未许可将应用程序与 ID"],
      ["zh-Hans", "请发送针对该用户和资源的交互式授权请求。"],
      ["zh-Hant", "使用者或系統管理員尚未同意使用識別碼為"],
      ["zh-Hant", "針對此使用者和資源傳送互動式授權要求。"],
      ["pt-BR", "O usuário ou administrador não consentiu em usar o aplicativo com o ID"],
      ["pt-BR", "Envie uma solicitação de autorização interativa para esse usuário e recurso."],
      ["ko", "ID로 애플리케이션을 사용하는 데 동의하지 않았습니다."],
      ["ko", "이 사용자 및 리소스에 대한 대화형 권한 부여 요청을 보내세요."],
      [
        "ru",
        "пользователь или администратор не предоставили согласие на использование приложения с идентификатором",
        'GitHub code search for "DelegationDoesNotExist — пользователь или" (azure-docs.ru-ru reference-aadsts-error-codes.md)',
      ],
    ],
    consentMissing,
  ),
  // AADSTS90094: administrator consent is required. Generic alone.
  ...eachLanguage(
    [
      ["fr", "le consentement de l’administrateur est requis."],
      ["de", "Die Zustimmung des Administrators ist erforderlich."],
      ["it", "è necessario il consenso dell'amministratore."],
      ["es", "es necesario el consentimiento del administrador."],
      ["ja", "管理者の同意が必要です。"],
      ["zh-Hans", "需要管理员许可。"],
      ["zh-Hant", "需要系統管理員同意。"],
      ["pt-BR", "É necessário o consentimento do administrador."],
      ["ru", "требуется согласие администратора."],
      ["nl", "toestemming van de beheerder is vereist."],
    ],
    consentMissing,
    true,
  ),
];

/**
 * SharePoint's own refusals as a localized farm or SharePoint Online words them: the list view threshold
 * (SPQueryThrottledException) and throttling. They stall a scan of a SharePoint repository like the English ones.
 */
const sharePointContext = ["sharepoint", "/sites/", "_api/", "_vti_bin", "csom", "pnp", "spquerythrottled", "onedrive"];
const sharePointMessages: SignatureInput[] = [
  // "The attempted operation is prohibited because it exceeds the list view threshold enforced by the administrator."
  {
    phrase: "管理者によって適用されたリストビューのしきい値を超えたため、試行された操作を実行できません。",
    weight: 0.85,
    lang: "ja",
    source:
      "https://docs.microsoft.com/ja-jp/sharepoint/troubleshoot/lists-and-libraries/error-share-break-inheritance",
  },
  {
    phrase: "管理者によって設定されたリストビューのしきい値を超えたため、試行された操作は禁止されています。",
    weight: 0.85,
    lang: "ja",
    source:
      "https://docs.microsoft.com/ja-jp/sharepoint/troubleshoot/lists-and-libraries/error-share-break-inheritance",
  },
  {
    phrase: "不允许执行所尝试的操作，因为它已超过管理员规定的列表视图阈值。",
    weight: 0.85,
    lang: "zh-Hans",
    source: "https://www.shuzhiduo.com/A/VGzlxRqxzb (SPQueryThrottledException message on a Chinese SharePoint server)",
  },
  // The list view's own banner: "This view cannot be displayed because it exceeds the list view threshold (5000 items)
  // enforced by the administrator." The second half is the telling part.
  {
    phrase:
      "weil sie den Schwellenwert der Listenansicht (5000 Elemente) überschreitet, der vom Administrator erzwungen wird.",
    weight: 0.8,
    lang: "de",
    source: "http://blog.busitec.de/teil-1-gotcha-sharepoint-die-magische-5-000/",
  },
  // SharePoint Online's throttling status as its localized developer docs name it (HTTP 429): any API's words, so
  // they count only in a paste about SharePoint.
  {
    phrase: "Zu viele Anforderungen",
    weight: 0.55,
    lang: "de",
    source:
      "https://learn.microsoft.com/de-de/sharepoint/dev/general-development/how-to-avoid-getting-throttled-or-blocked-in-sharepoint-online",
    onlyWith: sharePointContext,
  },
  {
    phrase: "Trop de requêtes",
    weight: 0.55,
    lang: "fr",
    source:
      "https://learn.microsoft.com/fr-fr/sharepoint/dev/general-development/how-to-avoid-getting-throttled-or-blocked-in-sharepoint-online",
    onlyWith: sharePointContext,
  },
  {
    phrase: "Trop de demandes",
    weight: 0.55,
    lang: "fr",
    source:
      "https://learn.microsoft.com/fr-fr/sharepoint/dev/general-development/how-to-avoid-getting-throttled-or-blocked-in-sharepoint-online",
    onlyWith: sharePointContext,
  },
];

/** The localized service messages by entry id; merged into the entries when the knowledge base loads. */
export const localizedServiceSignatures: Record<string, SignatureInput[]> = {
  "database-errors": databaseMessages,
  "authentication-token-missing": [...signInDescriptions, ...accountAndAppDescriptions],
  "authentication-token-not-accepted": consentDescriptions,
  "stuck-scanner-processes": sharePointMessages,
};
