import { describe, expect, it } from "vitest";
import { languageCodes } from "../../src/knowledge/languages.js";
import { type Explanation, explainText } from "../../src/knowledge/matcher.js";
import { otherCauses } from "../../src/knowledge/otherCauses.js";
import { answered } from "../support/explainAnswers.js";

const causes = (e: Explanation) => e.otherCauses.map((c) => c.cause.id).sort();

describe("localized WinSock and .NET network causes are not the article's entries (issue 16, round 7)", () => {
  // Real texts, as pasted or as Microsoft's localized docs quote the exception chain (sources in the data file).
  it.each([
    [
      "de",
      "System.Net.Http.HttpRequestException: Fehler beim Senden der Anforderung. ---> System.Net.WebException: Es konnte keine Verbindung mit dem Remoteserver hergestellt werden ---> System.Net.Sockets.SocketException: Fehler beim Herstellen der Verbindung, weil die Gegenstelle nach einer bestimmten Zeitspanne nicht ordnungsgemäß reagiert hat, oder die hergestellte Verbindung konnte nicht aufrechterhalten werden, weil der verbundene Host nicht reagiert hat...",
      "socket-timed-out",
    ],
    [
      "de",
      "Invoke-WebRequest: Der Zugriff auf einen Socket war aufgrund der Zugriffsrechte des Sockets unzulässig.",
      "socket-access-forbidden",
    ],
    [
      "fr",
      "Can't connect to RCON server: Une tentative de connexion a échoué car le parti connecté n’a pas répondu convenablement au-delà d’une certaine durée ou une connexion établie a échoué car l’hôte de connexion n’a pas répondu",
      "socket-timed-out",
    ],
    [
      "fr",
      "[       :Failed t:P: 3] 2015-11-26 16:03:31.993 System.Net.WebException: Le nom distant n'a pas pu être résolu: 'vcenter'",
      "host-unknown",
    ],
    [
      "es",
      "System.Net.Sockets.SocketException (10061): No se puede establecer una conexión ya que el equipo de destino denegó expresamente dicha conexión",
      "socket-refused",
    ],
    [
      "it",
      "System.InvalidOperationException: Errore durante l'elaborazione della richiesta. ---> System.Net.WebException: Impossibile effettuare la connessione al server remoto ---> System.Net.Sockets.SocketException: Tentativo di connessione non riuscito. Risposta non corretta della parte connessa dopo un intervallo di tempo oppure mancata risposta dall'host connesso.",
      "socket-timed-out",
    ],
    [
      "ja",
      "Connection to 127.0.0.1:10000 failed - System.Net.Sockets.SocketException (0x80004005): 対象のコンピューターによって拒否されたため、接続できませんでした。",
      "socket-refused",
    ],
    [
      "ja",
      "System.IO.IOException: 転送接続からデータを読み取れません: 接続済みの呼び出し先が一定の時間を過ぎても正しく応答しなかったため、接続できませんでした。または接続済みのホストが応答しなかったため、確立された接続は失敗しました。。 ---> System.Net.Sockets.SocketException: 接続済みの呼び出し先が一定の時間を過ぎても正しく応答しなかったため、接続できませんでした。または接続済みのホストが応答しなかったため、確立された接続は失敗しました。",
      "socket-timed-out",
    ],
    [
      "zh-Hans",
      "System.Net.Http.HttpRequestException:“发送请求时出错。” WebException: 未能解析此远程名称: 'api.mojidict.com'",
      "host-unknown",
    ],
    [
      "zh-Hant",
      "System.Net.WebException: 基礎連線已關閉: 無法為 SSL/TLS 安全通道建立信任關係。 ---> System.Security.Authentication.AuthenticationException: 根據驗證程序，遠端憑證是無效的。",
      "tls-certificate-not-trusted",
    ],
    [
      "ko",
      "Callback.OnConnect() 18.180.48.107:7302 System.Net.Internals.SocketExceptionFactory+ExtendedSocketException (10060): 연결된 구성원으로부터 응답이 없어 연결하지 못했거나, 호스트로부터 응답이 없어 연결이 끊어졌습니다. 18.180.48.107:7302",
      "socket-timed-out",
    ],
    [
      "ru",
      "System.Net.WebException: Базовое соединение закрыто: Не удалось установить доверительные отношения для защищенного канала SSL/TLS.",
      "tls-certificate-not-trusted",
    ],
    ["ru", "fetch error: network error: resolve www.localhost: Этот хост неизвестен. (os error 11001)", "host-unknown"],
    [
      "nl",
      "System.Net.Http.HttpRequestException: 'Kan geen verbinding maken omdat de doelcomputer de verbinding actief heeft geweigerd. (localhost:5234)'",
      "socket-refused",
    ],
    [
      "pt-BR",
      "System.Net.Http.HttpRequestException: Foi feita uma tentativa de acesso a um soquete de uma maneira que é proibida pelas permissões de acesso. (api.github.com:443)",
      "socket-access-forbidden",
    ],
  ])("%s: %s", (language, text, cause) => {
    const e = explainText(text);
    expect(answered(e)).toEqual([]);
    expect(causes(e)).toEqual([cause]);
    expect(e.languages).toEqual([language]);
  });

  // The outer WebException "Unable to connect to the remote server" with a look-alike inner error, in each
  // language: the inner cause answers, never the port-exhaustion fix.
  it.each([
    [
      "de",
      "Es konnte keine Verbindung mit dem Remoteserver hergestellt werden",
      "Ein Verbindungsversuch ist fehlgeschlagen, da die Gegenstelle nach einer bestimmten Zeitspanne nicht richtig reagiert hat, oder die hergestellte Verbindung war fehlerhaft, da der verbundene Host nicht reagiert hat",
      "socket-timed-out",
    ],
    [
      "fr",
      "Impossible de se connecter au serveur distant",
      "Une tentative d'accès à un socket de manière interdite par ses autorisations d'accès a été tentée",
      "socket-access-forbidden",
    ],
    [
      "es",
      "No es posible conectar con el servidor remoto",
      "Intento de acceso a un socket no permitido por sus permisos de acceso",
      "socket-access-forbidden",
    ],
    [
      "it",
      "Impossibile effettuare la connessione al server remoto",
      "Impossibile stabilire la connessione. Rifiuto persistente del computer di destinazione",
      "socket-refused",
    ],
    ["ja", "リモート サーバーに接続できません。", "そのようなホストは不明です。", "host-unknown"],
    [
      "zh-Hans",
      "无法连接到远程服务器",
      "由于连接方在一段时间后没有正确答复或连接的主机没有反应，连接尝试失败。",
      "socket-timed-out",
    ],
    ["zh-Hant", "無法連接至遠端伺服器", "無法連線，因為目標電腦拒絕連線。", "socket-refused"],
    [
      "pt-BR",
      "Não é possível conectar-se ao servidor remoto",
      "Uma tentativa de conexão falhou porque o componente conectado não respondeu corretamente após um período de tempo ou a conexão estabelecida falhou porque o host conectado não respondeu",
      "socket-timed-out",
    ],
    [
      "ko",
      "원격 서버에 연결할 수 없습니다.",
      "액세스 권한에 의해 숨겨진 소켓에 액세스를 시도했습니다",
      "socket-access-forbidden",
    ],
    [
      "ru",
      "Невозможно соединиться с удаленным сервером",
      "Попытка установить соединение была безуспешной, т.к. от другого компьютера за требуемое время не получен нужный отклик, или было разорвано уже установленное соединение из-за неверного отклика уже подключенного компьютера",
      "socket-timed-out",
    ],
    [
      "nl",
      "Kan geen verbinding maken met de externe server",
      "Een verbindingspoging is mislukt omdat de verbonden partij niet correct heeft gereageerd na een bepaalde periode, of omdat de tot stand gebrachte verbinding is mislukt omdat de verbonden host niet heeft gereageerd",
      "socket-timed-out",
    ],
  ])("%s: the outer connect failure yields to its inner cause", (language, outer, inner, cause) => {
    const e = explainText(
      `System.Net.WebException: ${outer} ---> System.Net.Sockets.SocketException: ${inner} 10.0.0.5:443`,
    );
    expect(answered(e)).not.toContain("unable-to-connect-to-remote-server");
    expect(causes(e)).toEqual([cause]);
    expect(e.languages).toEqual([language]);
  });

  it.each([
    "socket-access-forbidden",
    "socket-timed-out",
    "socket-refused",
    "host-unknown",
    "tls-certificate-not-trusted",
  ])("knows %s in every language", (id) => {
    const cause = otherCauses.find((c) => c.id === id);
    const languages = new Set(cause?.signatures.map((s) => s.lang).filter((l) => l !== undefined));
    expect([...languages].sort()).toEqual([...languageCodes].sort());
  });

  it.each([
    // An inner error we know nothing of: the outer wrapper alone must not claim port exhaustion.
    "System.Net.WebException: Невозможно соединиться с удаленным сервером ---> System.Net.Sockets.SocketException: Сеть недоступна",
    "System.Net.WebException: Kan geen verbinding maken met de externe server ---> System.Net.Sockets.SocketException: Het netwerk is onbereikbaar",
    "System.Net.WebException: Impossible de se connecter au serveur distant ---> System.Net.Sockets.SocketException: Une opération a été tentée sur un hôte injoignable 10.0.0.5:443",
  ])("an unknown inner error keeps the port-exhaustion fix away: %s", (text) => {
    expect(answered(explainText(text))).toEqual([]);
  });

  it("still answers the localized WSAEADDRINUSE with port exhaustion", () => {
    const e = explainText(
      "System.Net.WebException: No es posible conectar con el servidor remoto ---> System.Net.Sockets.SocketException: Normalmente se permite un solo uso de cada dirección de socket (dirección de red Protocolo/puerto) 10.1.2.3:443",
    );
    expect(answered(e)).toEqual(["unable-to-connect-to-remote-server"]);
    expect(causes(e)).toEqual([]);
  });
});

describe(".NET's PathTooLongException on a localized server", () => {
  it.each([
    [
      "es",
      "Error: La ruta de acceso especificada, el nombre de archivo o ambos son demasiado largos. El nombre de archivo completo debe ser inferior a 260 caracteres y el nombre del directorio debe ser inferior a 248.",
    ],
    [
      "it",
      "Errore: il percorso specificato, il nome file o entrambi sono troppo lunghi. Il nome completo del file deve essere inferiore a 260 caratteri e il nome della directory deve essere composto da meno di 248 caratteri.",
    ],
    [
      "zh-Hant",
      "錯誤：「指定的路徑、檔案名稱或兩者都太長。完整的檔名必須少於 260 個字元，並且目錄名稱必須少於 248 個字元。」",
    ],
    [
      "pt-BR",
      "System.IO.PathTooLongException: O caminho especificado, o nome do arquivo ou ambos são muito longos. O nome de arquivo totalmente qualificado deve ter menos de 260 caracteres e o nome do diretório menos de 248 caracteres.",
    ],
    [
      "ko",
      "오류: 지정된 경로, 파일 이름 중 하나 또는 둘 다가 너무 깁니다. 정규화된 파일 이름은 260자 미만이어야 하며 디렉터리 이름은 248자 미만이어야 합니다.",
    ],
    [
      "ru",
      "Ошибка: указанный путь, имя файла или оба значения имеют слишком большую длину. Полное имя файла должно содержать меньше 260 символов, а имя каталога — меньше 248 символов",
    ],
    ["nl", "Fout: Het opgegeven pad, de bestandsnaam of beide zijn te lang."],
  ])("%s", (language, text) => {
    const e = explainText(text);
    expect(answered(e)).toEqual(["file-path-too-long"]);
    expect(e.languages).toEqual([language]);
  });

  it.each([
    "Het pad is te lang voor de weergave",
    "指定的路徑不存在",
    "파일 이름이 너무 깁니다. (최대 20자)",
    "Указанный путь не найден.",
  ])("does not answer '%s' with the long-path advice", (text) => {
    expect(answered(explainText(text))).toEqual([]);
  });
});
