import type { SignatureInput } from "./knowledgeEntry.js";
import type { LanguageCode } from "./languages.js";

/**
 * .NET's and SChannel's network messages around the TLS case, as localized Windows prints them and as Microsoft's
 * localized (often machine-translated) docs quote them: the send failure and what supports it (the transport read,
 * the remote party closing the stream, no common algorithm) for the TLS entry, and the receive failure and the
 * kept-alive connection for the other causes that imitate it. Each wording cites where it was seen.
 */

/** A localized wording, as seen. */
function seen(lang: LanguageCode, phrase: string, weight: number, source: string): SignatureInput {
  return { phrase, weight, lang, source };
}

/** "The underlying connection was closed: An unexpected error occurred on a send." */
export const closedOnSendWordings: SignatureInput[] = [
  seen(
    "fr",
    "la connexion sous-jacente a été fermée : une erreur inattendue s’est produite lors de l’envoi",
    0.9,
    "https://github.com/MicrosoftDocs/microsoft-365-docs-pr.fr-FR/blob/08f6799e9c8ba973a249fa81ff50f862bdd2898b/microsoft-365/commerce/subscriptions/allowselfservicepurchase-powershell.md",
  ),
  seen(
    "fr",
    "la connexion sous-jacente a été fermée : une erreur inattendue s’est produite lors d’un envoi",
    0.9,
    'GitHub code search for "connexion sous-jacente a été fermée" (microsoft-365-docs-pr.fr-FR microsoft-365/commerce/subscriptions/allowselfservicepurchase-powershell.md, ms.translationtype: MT, ms.lasthandoff 08/05/2021)',
  ),
  seen(
    "fr",
    "La connexion sous-jacente a été fermée : Une erreur inattendue s'est produite lors de l'envoi",
    0.9,
    'GitHub code search for "connexion sous-jacente a été fermée" (NZBHydra2 French wiki/README, heading in Erreurs section)',
  ),
  seen(
    "de",
    "die zugrunde liegende Verbindung wurde geschlossen: ein unerwarteter Fehler ist bei einem senden aufgetreten",
    0.9,
    "https://github.com/MicrosoftDocs/microsoft-365-docs-pr.de-DE/blob/965458d3c1d5a5fb0ea0ccd0946754bb6fcbc4cd/microsoft-365/commerce/subscriptions/allowselfservicepurchase-powershell.md",
  ),
  seen(
    "de",
    "Die zugrunde liegende Verbindung wurde geschlossen: Unerwarteter Fehler beim Senden",
    0.9,
    "GitHub code search for \"zugrunde liegende Verbindung wurde geschlossen\" (localized Microsoft 365 admin-help article 'AllowSelfServicePurchase policy' de-DE)",
  ),
  seen(
    "es",
    "se ha cerrado la conexión subyacente: se ha producido un error inesperado en un envío",
    0.9,
    "GitHub code search for \"PolicyId 'AllowSelfServicePurchase'\" (microsoft-365-docs-pr es-ES microsoft-365/commerce/subscriptions/allowselfservicepurchase-powershell.md, span-format version)",
  ),
  seen(
    "ko",
    "기본 연결이 닫혔습니다. 보내기에서 예기치 않은 오류가 발생 했습니다",
    0.9,
    "GitHub code search for \"PolicyId 'AllowSelfServicePurchase'\" (ko-KR admin-help article 'AllowSelfServicePurchase 정책을 설정 하거나 볼 수 없습니다.', ms.translationtype: MT)",
  ),
  seen(
    "ko",
    "연결이 닫혔습니다. 보내기 시 예기치 않은 오류가 발생했습니다",
    0.9,
    "https://github.com/KSH-code/microsoft-365-docs-pr.ko-KR/blob/09768ddb25f80f6836b6e28f4cb7f077bbf3fa34/microsoft-365/commerce/subscriptions/allowselfservicepurchase-powershell.md",
  ),
  seen(
    "zh-Hans",
    "基础连接已关闭：发送时发生意外错误",
    0.9,
    "https://github.com/TakaSoap/microsoft-365-docs-pr.zh-CN/blob/030467d9a3f95f6e42aaa2f814c290415ed087c3/microsoft-365/commerce/subscriptions/allowselfservicepurchase-powershell.md",
  ),
  seen(
    "zh-Hant",
    "基礎 connection 已關閉：傳送時發生意外的錯誤",
    0.9,
    "https://github.com/MicrosoftDocs/microsoft-365-docs-pr.zh-TW/blob/01473d723aada1e2092addfa777ac09a6b3aaef4/microsoft-365/commerce/subscriptions/allowselfservicepurchase-powershell.md",
  ),
  seen(
    "ja",
    "基になる接続が閉じられました: 送信時に予期しないエラーが発生しました",
    0.9,
    "https://github.com/r3d-b3ryl/microsoft-365-docs-pr.ja-JP/blob/060bd7b727aa1335005467a206a1b8fc17b01282/microsoft-365/commerce/subscriptions/allowselfservicepurchase-powershell.md",
  ),
  seen(
    "ja",
    "基になる接続が閉じられました: 送信で予期しないエラーが発生しました",
    0.9,
    'GitHub code search for "基になる接続が閉じられました" (microsoft-365-docs-pr ja-JP microsoft-365/commerce/subscriptions/allowselfservicepurchase-powershell.md, another revision)',
  ),
  seen(
    "ja",
    "基になる接続が閉じられました。送信で予期しないエラーが発生しました",
    0.9,
    'GitHub code search for "基になる接続が閉じられました" (microsoft-365-docs-pr ja-JP microsoft-365/commerce/subscriptions/allowselfservicepurchase-powershell.md, older revision)',
  ),
  seen(
    "ja",
    "基になる接続が閉じられました: 送信時に、予期しないエラーが発生しました",
    0.9,
    'GitHub code search for "送信時に、予期しないエラーが発生しました" (Visual Studio install troubleshooting doc ja-JP; also azure-docs SQL VM IaaS agent known issues ja-JP)',
  ),
  seen(
    "ja",
    "接続が切断されました: 送信時に、予期しないエラーが発生しました",
    0.9,
    'GitHub code search for "送信時に、予期しないエラーが発生しました" (Qiita article: NuGet restore error in Visual Studio)',
  ),
  seen(
    "pt-BR",
    "A conexão subjacente foi fechada: ocorreu um erro inesperado em um envio",
    0.9,
    "https://github.com/MicrosoftDocs/microsoft-365-docs-pr.pt-BR/blob/07b84a4287037ac194c5bee2df205e672dde22c2/microsoft-365/commerce/subscriptions/allowselfservicepurchase-powershell.md",
  ),
  seen(
    "ru",
    "Первое подключение было закрыто: при отправке произошла неожиданная ошибка",
    0.9,
    "https://github.com/MicrosoftDocs/microsoft-365-docs-pr.ru-RU/blob/08457939cd567c53036db80b3e62b77958433d79/microsoft-365/commerce/subscriptions/allowselfservicepurchase-powershell.md",
  ),
  seen(
    "ja",
    "基になる接続が閉じられました。送信時に、予期しないエラーが発生しました",
    0.9,
    'GitHub code search for "送信時に、予期しないエラーが発生しました" (azure-docs ja-JP, SQL Server VM / Azure Stack Hub known issues)',
  ),
  seen(
    "es",
    "Se ha terminado la conexión: Error inesperado de envío",
    0.9,
    'GitHub code search for "Se ha terminado la conexión" (Node script console.log quoting Azure App Service .NET error)',
  ),
  seen(
    "it",
    "Connessione sottostante chiusa: errore imprevisto durante un'operazione di invio",
    0.9,
    'GitHub code search for "Connessione sottostante chiusa" (Italian README troubleshooting, Windows Server 2012 download failure)',
  ),
  seen(
    "zh-Hans",
    "基础连接已经关闭: 发送时发生错误",
    0.9,
    'GitHub code search for "基础连接已经关闭" (C# UAWebClient comment)',
  ),
  seen(
    "zh-Hant",
    "基礎連接已關閉: 傳送時發生未預期的錯誤",
    0.9,
    'GitHub code search for "基礎連接已關閉" (C# WebClient comment)',
  ),
  seen(
    "zh-Hant",
    "基礎連接已關閉： 傳送發生意外的錯誤",
    0.9,
    'GitHub code search for "基礎連接已關閉" (zh-TW admin-help article on AllowSelfServicePurchase policy, ms.translationtype MT)',
  ),
  seen(
    "pt-BR",
    "A conexão subjacente estava fechada: Ocorreu um erro inesperado em um envio",
    0.9,
    'GitHub code search for "A conexão subjacente estava fechada" (Advanced Threat Analytics troubleshooting doc, pt-BR)',
  ),
  seen(
    "pt-BR",
    "A conexão subjacente estava fechada: Erro inesperado em um envio",
    0.9,
    'GitHub code search for "Erro inesperado em um envio" (GeneXus GxHttpClient log in markdown)',
  ),
  seen(
    "ru",
    "Базовое соединение закрыто: Непредвиденная ошибка при передаче",
    0.9,
    'GitHub code search for "Непредвиденная ошибка при передаче" (C# HttpWebRequest comment)',
  ),
  seen(
    "nl",
    "De onderliggende verbinding is gesloten: er is een onverwachte fout opgetreden bij een verzenden",
    0.9,
    'GitHub code search for "De onderliggende verbinding is gesloten" (microsoft-365-docs-pr.nl-NL microsoft-365/commerce/subscriptions/allowselfservicepurchase-powershell.md, span-format revision)',
  ),
  seen(
    "nl",
    "de onderliggende verbinding is gesloten: er is een onverwachte fout opgetreden bij het verzenden",
    0.9,
    'GitHub code search for "De onderliggende verbinding is gesloten" (nl-NL admin-help article on AllowSelfServicePurchase policy)',
  ),
  seen(
    "nl",
    "De onderliggende verbinding is gesloten: er is een onverwachte fout opgetreden op een verzenden",
    0.9,
    'GitHub code search for "onderliggende verbinding is gesloten: Er is een" (nl-NL admin-help article on AllowSelfServicePurchase policy, later revision)',
  ),
  seen(
    "ko",
    "기본 연결이 닫혔습니다. 보내기에서 예기치 않은 오류가 발생했습니다",
    0.9,
    'GitHub code search for "기본 연결이 닫혔습니다" (Korean dev-environment setup README, Windows PowerShell symptom)',
  ),
  // Visual Studio's Korean network troubleshooting page translates "on a send" as "during transmission".
  seen(
    "ko",
    "기본 연결이 닫혔습니다. 전송 중에 예상치 못한 오류가 발생했습니다",
    0.9,
    "https://github.com/MicrosoftDocs/visualstudio-docs.ko-kr/blob/728bddcff37400a3c6ea4a3596c2c9bf4fde8e0c/docs/install/troubleshooting-network-related-errors-in-visual-studio.md",
  ),
];
/** "Unable to read data from the transport connection" (0.7) and WinSock 10054 "An existing connection was forcibly closed by the remote host" (0.5: alone it says nothing of TLS). */
export const transportReadWordings: SignatureInput[] = [
  seen(
    "it",
    "connessione esistente chiusa forzatamente dall'host remoto",
    0.5,
    'GitHub code search for "Connessione sottostante chiusa" (dotnet docs it-IT, WCF expected exceptions)',
  ),
  seen(
    "de",
    "Es können keine Daten aus der Transportverbindung gelesen werden",
    0.7,
    'GitHub code search for "Unerwarteter Fehler beim Empfangen" (azure-docs de-DE, data-factory self-hosted-integration-runtime-troubleshoot-guide.md)',
  ),
  seen(
    "de",
    "Von der Übertragungsverbindung können keine Daten gelesen werden",
    0.7,
    'GitHub code search for "Übertragungsverbindung können keine Daten" (C# controller comment with German log line)',
  ),
  seen(
    "de",
    "Eine vorhandene Verbindung wurde vom Remotehost geschlossen",
    0.5,
    'GitHub code search for "Übertragungsverbindung können keine Daten" (C# controller comment with German log line)',
  ),
  seen(
    "fr",
    "Impossible de lire les données de la connexion de transport",
    0.7,
    'GitHub code search for "lire les données de la connexion de transport" (azure-docs fr-FR, data-factory self-hosted-integration-runtime-troubleshoot-guide.md)',
  ),
  seen(
    "fr",
    "une connexion existante a dû être fermée par l’hôte distant",
    0.5,
    'GitHub code search for "lire les données de la connexion de transport" (azure-docs fr-FR, data-factory self-hosted-integration-runtime-troubleshoot-guide.md)',
  ),
  seen(
    "fr",
    "Une connexion existante a dû être fermée par l'hôte distant",
    0.5,
    'GitHub code search for "a dû être fermée par l\'hôte distant" (markdown notes, Hugging Face download WinError 10054)',
  ),
  seen(
    "es",
    "No se pueden leer los datos de la conexión de transporte",
    0.7,
    'GitHub code search for "datos de la conexión de transporte" (C# string.Compare against localized exception message)',
  ),
  seen(
    "es",
    "Se ha forzado la interrupción de una conexión existente por el host remoto",
    0.5,
    'GitHub code search for "datos de la conexión de transporte" (C# string.Compare against localized exception message)',
  ),
  seen(
    "es",
    "El host remoto forzó el cierre de la conexión existente",
    0.5,
    'GitHub code search for "datos de la conexión de transporte" (azure-docs es-ES, data-factory self-hosted-integration-runtime-troubleshoot-guide.md)',
  ),
  seen(
    "it",
    "Impossibile leggere i dati dalla connessione di trasporto",
    0.7,
    'GitHub code search for "dalla connessione di trasporto" (azure-docs it-IT, data-factory self-hosted-integration-runtime-troubleshoot-guide.md)',
  ),
  seen(
    "it",
    "una connessione esistente è stata chiusa forzatamente dall'host remoto",
    0.5,
    'GitHub code search for "dalla connessione di trasporto" (azure-docs it-IT, data-factory self-hosted-integration-runtime-troubleshoot-guide.md)',
  ),
  seen(
    "it",
    "Connessione in corso interrotta forzatamente dall'host remoto",
    0.5,
    'GitHub code search for "interrotta forzatamente dall\'host remoto" (Prisma PostgreSQL error, Windows OS error 10054)',
  ),
  seen(
    "it",
    "Impossibile leggere dati dalla connessione del trasporto",
    0.7,
    'GitHub code search for "Impossibile leggere dati dalla connessione" (Xamarin Live Player troubleshooting doc it-IT; first half only, second half there is a different socket error)',
  ),
  seen(
    "ja",
    "転送接続からデータを読み取れません",
    0.7,
    'GitHub code search for "転送接続からデータを読み取れません" (C# test comment with localized exception)',
  ),
  seen(
    "ja",
    "既存の接続はリモート ホストに強制的に切断されました",
    0.5,
    'GitHub code search for "転送接続からデータを読み取れません" (C# test comment with localized exception)',
  ),
  seen(
    "ja",
    "既存の接続はリモートﾎｽﾄに強制的に切断されました",
    0.5,
    'GitHub code search for "転送接続からデータを読み取れません" (C# comment, half-width katakana variant)',
  ),
  seen(
    "zh-Hant",
    "無法從傳輸連接讀取資料",
    0.7,
    'GitHub code search for "無法從傳輸連接讀取資料" (C# check, comment: occurred on windows in Taiwan)',
  ),
  seen(
    "zh-Hant",
    "現有的連接遭遠端主機強制關閉",
    0.5,
    'GitHub code search for "遠端主機強制關閉" (dotnet docs zh-TW, WCF expected exceptions)',
  ),
  seen(
    "zh-Hans",
    "远程主机强迫关闭了一个现有的连接",
    0.5,
    'GitHub code search for "遠端主機強制關閉" (Python UI translation table keyed by the zh-CN Windows message)',
  ),
  seen(
    "zh-Hans",
    "无法从传输连接中读取数据",
    0.7,
    'GitHub code search for "无法从传输连接中读取数据" (Chinese blog post (markdown) with WCF exception trace)',
  ),
  seen(
    "zh-Hans",
    "现有的连接被远程主机强行关闭",
    0.5,
    'GitHub code search for "无法从传输连接中读取数据" (C# IndexOf checks for localized messages)',
  ),
];
/** SChannel SEC_E_ALGORITHM_MISMATCH: "The client and server cannot communicate, because they do not possess a common algorithm". */
export const noCommonAlgorithmWordings: SignatureInput[] = [
  seen(
    "ko",
    "클라이언트 및 서버에 공용 알고리즘이 없기 때문에 통신할 수 없습니다",
    0.9,
    'GitHub code search for "받기에서 예기치 않은 오류가 발생했습니다" (Inicis payment log, Win32Exception from SSPIWrapper.AcquireCredentialsHandle)',
  ),
  seen(
    "fr",
    "Le client et le serveur ne peuvent pas communiquer, car ils ne possèdent pas d’algorithme commun",
    0.9,
    'GitHub code search for "le serveur ne peuvent pas communiquer" (azure-docs fr-FR, Application Insights availability tests troubleshooting table)',
  ),
  seen(
    "fr",
    "le client et le serveur ne peuvent pas communiquer car ils n’ont pas d’algorithme en commun",
    0.9,
    'GitHub code search for "le serveur ne peuvent pas communiquer" (azure-docs fr-FR, Azure Automation Update Management / Hybrid Runbook Worker troubleshooting)',
  ),
  seen(
    "fr",
    "Le client et le serveur ne peuvent pas communiquer car ils ne possèdent pas d'algorithme commun",
    0.9,
    'GitHub code search for "le serveur ne peuvent pas communiquer" (Indy (Delphi) French SSPI resource strings, RSHTTPSSPIAlgorithmMismatch — Indy\'s own translation, not Windows)',
  ),
  seen(
    "de",
    "Client und Server können nicht kommunizieren, da sie keinen gemeinsamen Algorithmus besitzen",
    0.9,
    'GitHub code search for "keinen gemeinsamen Algorithmus" (azure-docs de-DE, Azure Automation Hybrid Runbook Worker troubleshooting)',
  ),
  seen(
    "zh-Hant",
    "用戶端和伺服器無法通訊，因為它們不具有一般演算法",
    0.9,
    'GitHub code search for "無法從傳輸連接讀取資料" (azure-docs zh-TW, Application Insights availability tests troubleshooting table)',
  ),
  seen(
    "zh-Hans",
    "客户端和服务器无法通信，因为没有通用算法",
    0.9,
    'GitHub code search for "无法从传输连接中读取数据" (azure-docs zh-CN, Application Insights availability tests troubleshooting table)',
  ),
  seen(
    "zh-Hans",
    "客户端和服务器无法通信，因为它们不具有通用算法",
    0.9,
    'GitHub code search for "客户端和服务器无法通信" (azure-docs zh-CN, Application Insights availability troubleshooting, other revision)',
  ),
];
/** "Authentication failed because the remote party has closed the transport stream." */
export const transportStreamWordings: SignatureInput[] = [
  seen(
    "ja",
    "リモート パーティがトランスポート ストリームを終了したため、認証に失敗しました",
    1,
    'GitHub code search for "送信時に、予期しないエラーが発生しました" (Qiita article: NuGet restore error in Visual Studio)',
  ),
  seen(
    "de",
    "Fehler bei der Authentifizierung, da die Gegenseite den Transportstream geschlossen hat",
    1,
    'GitHub code search for "Transportstream geschlossen" (ATA (Advanced Threat Analytics) troubleshooting known errors, de-DE)',
  ),
  seen(
    "de",
    "bei der Authentifizierung ist ein Fehler aufgetreten, da die Remote Seite den Transportstream geschlossen hat",
    1,
    'GitHub code search for "Transportstream geschlossen" (ATA troubleshooting known errors, de-DE, machine-translated revision)',
  ),
  seen(
    "fr",
    "échec de l’authentification, car la partie distante a fermé le flux de transport",
    1,
    'GitHub code search for "a fermé le flux de transport" (ATA troubleshooting known errors, fr-FR)',
  ),
  seen(
    "fr",
    "Échec de l'authentification, car le site distant a fermé le flux de transport",
    1,
    'GitHub code search for "a fermé le flux de transport" (azure-docs fr-FR, Data Factory MySQL connector tip)',
  ),
  seen(
    "zh-Hans",
    "由于远程方已关闭传输流，身份验证失败",
    1,
    'GitHub code search for "已关闭传输流" (SmtpException stack trace in a markdown post)',
  ),
  seen(
    "pt-BR",
    "a autenticação falhou porque a parte remota fechou o fluxo de transporte",
    1,
    'GitHub code search for "fechou o fluxo de transporte" (ATA troubleshooting known errors, pt-BR)',
  ),
  seen(
    "pt-BR",
    "falha na autenticação porque a parte remota fechou o fluxo de transporte",
    1,
    'GitHub code search for "fechou o fluxo de transporte" (ATA troubleshooting known errors, pt-BR, machine-translated revision)',
  ),
  seen(
    "pt-BR",
    "A autenticação falhou porque a entidade remota fechou o fluxo de transporte",
    1,
    'GitHub code search for "fechou o fluxo de transporte" (azure-docs pt-BR, Data Factory MySQL connector tip)',
  ),
  // An older Korean wording than the Data Factory doc's; seen in the Korean ATA troubleshooting doc (holdout9's source).
  seen(
    "ko",
    "원격 상대방이 전송 스트림을 닫아서 인증에 실패했습니다",
    1,
    'GitHub code search for "전송 스트림을 닫아서 인증에 실패"',
  ),
];
/** "… An unexpected error occurred on a receive.": the other cause `connection-closed-on-receive`. */
export const closedOnReceiveWordings: SignatureInput[] = [
  seen(
    "zh-Hans",
    "基础连接已经关闭: 接收时发生错误",
    1,
    'GitHub code search for "基础连接已经关闭" (proxy troubleshooting notes, markdown)',
  ),
  seen(
    "zh-Hant",
    "基礎連接已關閉: 接收時發生未預期的錯誤",
    1,
    'GitHub code search for "基礎連接已關閉" (markdown notes: PowerShell Invoke-WebRequest result)',
  ),
  seen(
    "zh-Hant",
    "基礎連接已關閉，接收時發生未預期的錯誤",
    1,
    'GitHub code search for "基礎連接已關閉" (markdown table of PowerShell probes)',
  ),
  seen(
    "pt-BR",
    "A conexão subjacente estava fechada: Erro inesperado em um recebimento",
    1,
    'GitHub code search for "A conexão subjacente estava fechada" (markdown status report, Evolution API on Railway)',
  ),
  seen(
    "ru",
    "Базовое соединение закрыто: Непредвиденная ошибка при приеме",
    1,
    'GitHub code search for "Непредвиденная ошибка при приеме" (markdown log of PowerShell Invoke-RestMethod to pypi.org)',
  ),
  seen(
    "ko",
    "기본 연결이 닫혔습니다. 받기에서 예기치 않은 오류가 발생했습니다",
    1,
    'GitHub code search for "받기에서 예기치 않은 오류가 발생했습니다" (Inicis payment log)',
  ),
  seen(
    "fr",
    "la connexion sous-jacente était fermée : une erreur inattendue s’est produite à la réception",
    1,
    'GitHub code search for "le serveur ne peuvent pas communiquer" (azure-docs fr-FR, Azure Automation Hybrid Runbook Worker troubleshooting)',
  ),
  seen(
    "de",
    "Die zugrunde liegende Verbindung wurde getrennt. Unerwarteter Fehler bei einem Empfangsvorgang",
    1,
    'GitHub code search for "keinen gemeinsamen Algorithmus" (azure-docs de-DE, Azure Automation Hybrid Runbook Worker troubleshooting)',
  ),
  seen(
    "de",
    "Die zugrunde liegende Verbindung wurde geschlossen: Unerwarteter Fehler beim Empfangen",
    1,
    'GitHub code search for "Unerwarteter Fehler beim Empfangen" (azure-docs de-DE, data-factory self-hosted-integration-runtime-troubleshoot-guide.md)',
  ),
  seen(
    "fr",
    "Le serveur a clos la connexion sous-jacente : Une erreur inattendue s’est produite lors de la réception",
    1,
    'GitHub code search for "lire les données de la connexion de transport" (azure-docs fr-FR, data-factory self-hosted-integration-runtime-troubleshoot-guide.md)',
  ),
  seen(
    "es",
    "Se ha cerrado la conexión subyacente: Error inesperado de recepción",
    1,
    'GitHub code search for "datos de la conexión de transporte" (azure-docs es-ES, data-factory self-hosted-integration-runtime-troubleshoot-guide.md)',
  ),
  seen(
    "es",
    "Se ha terminado la conexión: Error inesperado de recepción",
    1,
    'GitHub code search for "Se ha terminado la conexión: Error inesperado de" (markdown notes on Invoke-WebRequest)',
  ),
  seen(
    "it",
    "La connessione sottostante è stata chiusa: si è verificato un errore imprevisto in una ricezione",
    1,
    'GitHub code search for "dalla connessione di trasporto" (azure-docs it-IT, data-factory self-hosted-integration-runtime-troubleshoot-guide.md)',
  ),
  seen(
    "zh-Hans",
    "基础连接已关闭: 在接收时发生意外错误",
    1,
    'GitHub code search for "客户端和服务器无法通信" (azure-docs zh-CN, Update Management/Hybrid Runbook Worker troubleshooting table; <br> line breaks removed from the quoted text)',
  ),
];
/** "A connection that was expected to be kept alive was closed by the server.": the other cause `keep-alive-closed`. */
export const keptAliveWordings: SignatureInput[] = [
  seen(
    "es",
    "Se ha terminado la conexión: una conexión que se esperaba que se mantuviera activa fue cerrada por el servidor",
    1,
    'GitHub code search for "Se ha terminado la conexión" (azure-docs es-ES, cloud service TCP idle timeout article)',
  ),
  seen(
    "it",
    "Connessione sottostante chiusa: una connessione che doveva restare attiva è stata chiusa dal server in modo imprevisto",
    1,
    'GitHub code search for "Connessione sottostante chiusa" (azure-docs it-IT, cloud service TCP keep-alive article)',
  ),
  seen(
    "pt-BR",
    "A conexão subjacente estava fechada: Uma conexão que deveria permanecer ativa foi fechada pelo servidor",
    1,
    'GitHub code search for "A conexão subjacente estava fechada" (azure-docs pt-BR, cloud service TCP keep-alive article)',
  ),
  seen(
    "ru",
    "Базовое соединение закрыто. Соединение, которое должно было работать, было разорвано сервером",
    1,
    'GitHub code search for "Базовое соединение закрыто" (azure-docs ru-RU, cloud service TCP keep-alive article)',
  ),
  seen(
    "nl",
    "de onderliggende verbinding is gesloten: een verbinding die werd verwacht leven wordt gehouden door de server is afgesloten",
    1,
    'GitHub code search for "De onderliggende verbinding is gesloten" (azure-docs nl-NL, cloud service TCP keep-alive article)',
  ),
  seen(
    "nl",
    "de onderliggende verbinding is gesloten: een verbinding waarvan wordt verwacht dat worden behouden door de server is gesloten",
    1,
    'GitHub code search for "De onderliggende verbinding is gesloten" (azure-docs nl-NL, cloud service TCP keep-alive article, span-format revision)',
  ),
  seen(
    "nl",
    "de onderliggende verbinding is gesloten: er is een verbinding die naar verwachting wordt gehouden door de server verbroken",
    1,
    'GitHub code search for "onderliggende verbinding is gesloten: Er is een" (azure-docs nl-NL, cloud service TCP keep-alive article, another revision)',
  ),
  seen(
    "ko",
    "기본 연결이 닫혔습니다. 활성 상태로 유지될 것으로 예상된 연결이 서버에서 닫혔습니다",
    1,
    'GitHub code search for "기본 연결이 닫혔습니다" (azure-docs ko-KR, cloud service TCP keep-alive article)',
  ),
  seen(
    "fr",
    "la connexion sous-jacente a été fermée : une connexion qui devait être maintenue active a été fermée par le serveur",
    1,
    'GitHub code search for "connexion sous-jacente a été fermée" (azure-docs fr-FR, cloud service TCP idle timeout / keep-alive article)',
  ),
  seen(
    "de",
    "Die zugrunde liegende Verbindung wurde geschlossen: Eine Verbindung, deren Aufrechterhaltung erwartet wurde, wurde vom Server geschlossen",
    1,
    'GitHub code search for "zugrunde liegende Verbindung wurde geschlossen" (azure-docs de-DE, cloud service TCP idle timeout / keep-alive article)',
  ),
  seen(
    "de",
    "Die zugrunde liegende Verbindung wurde geschlossen: Eine Verbindung, deren Aufrechterhaltung erwartet wurde, ist vom Server geschlossen worden",
    1,
    'GitHub code search for "zugrunde liegende Verbindung wurde geschlossen" (azure-docs de-DE, cloud service keep-alive article, other revision)',
  ),
  seen(
    "nl",
    "een verbinding die werd verwacht leven wordt gehouden",
    1,
    'GitHub code search for "De onderliggende verbinding is gesloten" (azure-docs nl-NL, cloud service TCP keep-alive article)',
  ),
];
