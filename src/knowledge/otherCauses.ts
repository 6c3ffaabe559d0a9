import { z } from "zod";
import { signatureSchema } from "./knowledgeEntry.js";
import { closedOnReceiveWordings, keptAliveWordings } from "./localizedNetworkMessages.js";
import {
  accessForbiddenWordings,
  certificateNotTrustedWordings,
  hostUnknownWordings,
  refusedWordings,
  timedOutWordings,
} from "./localizedSystemMessages.js";

/**
 * Causes that share an outer message with an article entry but are not that entry's problem.
 * "Unable to connect to the remote server" is the article's port exhaustion only when the inner
 * WinSock error is 10048; "The underlying connection was closed" is its TLS case only when the
 * handshake failed on send. When one of these causes is in the paste, the shadowed entries' weak
 * (non-decisive) evidence is dropped and the answer names the real cause briefly instead.
 */
export const otherCauseSchema = z.object({
  id: z.string().regex(/^[a-z0-9]+(-[a-z0-9]+)*$/),
  title: z.string().min(3),
  /** One or two sentences: what the inner error means and where to look, honestly short. */
  meaning: z.string().min(20),
  /** Article entries whose generic wording this cause imitates. */
  shadows: z.array(z.string()).min(1),
  // The look-alike search reads no context words: a cause's wording must be telling on its own.
  signatures: z.array(signatureSchema.omit({ onlyWith: true }).strict()).min(1),
  source: z.object({ title: z.string(), url: z.url({ protocol: /^https$/ }) }),
});
export type OtherCause = z.infer<typeof otherCauseSchema>;

const socketErrors = {
  title: "Windows Sockets error codes",
  url: "https://learn.microsoft.com/windows/win32/winsock/windows-sockets-error-codes-2",
};
const connectionEntries = ["unable-to-connect-to-remote-server", "underlying-connection-was-closed"];
const searched = (fragment: string) => `GitHub code search for "${fragment}"`;

const otherCauseInputs: z.input<typeof otherCauseSchema>[] = [
  {
    id: "socket-access-forbidden",
    title: "Socket access forbidden (WinSock 10013)",
    meaning:
      "Windows refused the connection attempt itself: a firewall, antivirus or endpoint-protection rule, or a port reserved by another service, blocks the scanner's socket. This is not the port exhaustion the troubleshooting article describes; check the node's firewall and security software for the scanner process.",
    shadows: connectionEntries,
    signatures: [
      {
        phrase: "An attempt was made to access a socket in a way forbidden by its access permissions",
        weight: 1,
        source: "https://github.com/Pryaxis/TShock/issues/1106",
      },
      {
        phrase: "以一种访问权限不允许的方式做了一个访问套接字的尝试",
        weight: 1,
        lang: "zh-Hans",
        source: "https://github.com/tangxuehua/Conference/issues/1",
      },
      ...accessForbiddenWordings,
    ],
    source: socketErrors,
  },
  {
    id: "socket-timed-out",
    title: "Connection timed out (WinSock 10060)",
    meaning:
      "The remote host never answered: it is down, unreachable, or a firewall or proxy silently drops the traffic. Test the path from the node (Test-NetConnection <host> -Port 443) and the proxy settings; this is not port exhaustion.",
    shadows: connectionEntries,
    signatures: [
      {
        phrase:
          "A connection attempt failed because the connected party did not properly respond after a period of time",
        weight: 1,
        source: "https://github.com/DaxStudio/DaxStudio/issues/389",
      },
      {
        phrase: "connected host has failed to respond",
        weight: 0.9,
        source: "https://github.com/quamotion/remoteviewing/issues/127",
      },
      {
        phrase:
          "falha em uma tentativa de conexão porque a parte conectada não respondeu corretamente após um período de tempo",
        weight: 1,
        lang: "pt-BR",
        source: `${searched("Não é possível conectar-se ao servidor remoto")} (Portuguese .NET docs, OData from a workflow)`,
      },
      ...timedOutWordings,
    ],
    source: socketErrors,
  },
  {
    id: "socket-refused",
    title: "Connection refused (WinSock 10061)",
    meaning:
      "The host was reached but nothing accepted the connection on that port (service stopped, wrong port, or a proxy/firewall rejecting it). Check the address and port the scanner uses and whether the service behind it is running; this is not port exhaustion.",
    shadows: connectionEntries,
    signatures: [
      {
        phrase: "No connection could be made because the target machine actively refused it",
        weight: 1,
        source: "https://github.com/HYG-Studio/Launch_Connection/issues/40",
      },
      {
        phrase: "Aucune connexion n’a pu être établie car l’ordinateur cible l’a expressément refusée",
        weight: 1,
        lang: "fr",
        source: "https://github.com/alvyxaz/barebones-masterserver/issues/210",
      },
      ...refusedWordings,
    ],
    source: socketErrors,
  },
  {
    id: "host-unknown",
    title: "Host name not found (WinSock 11001 / DNS)",
    meaning:
      "The node could not resolve the server's name. Check DNS from the node (Resolve-DnsName <host>) and any proxy configuration; this is a name-resolution problem, not port exhaustion or TLS.",
    shadows: connectionEntries,
    signatures: [
      {
        phrase: "No such host is known",
        weight: 1,
        source: "https://github.com/Azure/Azure-Websites-Migration-Tool/issues/25",
      },
      {
        phrase: "The remote name could not be resolved",
        weight: 1,
        source: "https://learn.microsoft.com/dotnet/api/system.net.webexceptionstatus",
      },
      ...hostUnknownWordings,
    ],
    source: socketErrors,
  },
  {
    id: "tls-certificate-not-trusted",
    title: "Server certificate not trusted",
    meaning:
      "TLS itself worked but the node does not trust the certificate it was shown, typically because a proxy or firewall inspects HTTPS and presents its own certificate. Exclude the scanner's endpoints from TLS inspection or trust the inspecting CA; enabling TLS 1.2 will not help here.",
    shadows: ["underlying-connection-was-closed"],
    signatures: [
      {
        phrase: "Could not establish trust relationship for the SSL/TLS secure channel",
        weight: 1,
        source: searched("基になる接続が閉じられました"),
      },
      {
        phrase: "The remote certificate is invalid according to the validation procedure",
        weight: 1,
        source: searched("基になる接続が閉じられました"),
      },
      {
        phrase: "Impossible d’établir une relation de confiance pour le canal sécurisé SSL/TLS",
        weight: 1,
        lang: "fr",
        source: searched("La connexion sous-jacente a été fermée"),
      },
      {
        phrase: "Für den geschützten SSL/TLS-Kanal konnte keine Vertrauensstellung hergestellt werden",
        weight: 1,
        lang: "de",
        source: searched("Die zugrunde liegende Verbindung wurde geschlossen"),
      },
      {
        phrase: "Vertrauensstellung für den sicheren SSL/TLS-Kanal konnte nicht eingerichtet werden",
        weight: 1,
        lang: "de",
        source: searched("Die zugrunde liegende Verbindung wurde geschlossen"),
      },
      {
        phrase: "Não foi possível estabelecer relação de confiança para o canal seguro de SSL/TLS",
        weight: 1,
        lang: "pt-BR",
        source: searched("A conexão subjacente estava fechada"),
      },
      {
        phrase: "Impossibile stabilire una relazione di trust per il canale sicuro SSL/TLS",
        weight: 1,
        lang: "it",
        source: searched("Connessione sottostante chiusa"),
      },
      {
        phrase: "SSL/TLS のセキュリティで保護されているチャネルに対する信頼関係を確立できませんでした",
        weight: 1,
        lang: "ja",
        source: searched("基になる接続が閉じられました"),
      },
      {
        phrase: "SSL/TLS 보안 채널에 대한 트러스트 관계를 설정할 수 없습니다",
        weight: 1,
        lang: "ko",
        source: searched("기본 연결이 닫혔습니다"),
      },
      {
        phrase: "無法為 SSL/TLS 安全通道建立信任關係",
        weight: 1,
        lang: "zh-Hant",
        source: searched("基礎連接已關閉"),
      },
      ...certificateNotTrustedWordings,
    ],
    source: {
      title: "Firewalls and network infrastructure requirements",
      url: "https://learn.microsoft.com/azure/information-protection/requirements#firewalls-and-network-infrastructure",
    },
  },
  {
    id: "keep-alive-closed",
    title: "Kept-alive connection closed by the server",
    meaning:
      "An idle connection the scanner meant to reuse was closed by the server or a load balancer's idle timeout. It is usually transient and retried; if it repeats, look at idle timeouts on proxies between the node and the service. It is not a TLS or port problem.",
    shadows: ["underlying-connection-was-closed"],
    signatures: [
      {
        phrase: "A connection that was expected to be kept alive was closed by the server",
        weight: 1,
        source: "https://learn.microsoft.com/azure/load-balancer/load-balancer-tcp-idle-timeout",
      },
      {
        phrase: "Eine Verbindung, deren Aufrechterhaltung erwartet wurde, wurde vom Server geschlossen",
        weight: 1,
        lang: "de",
        source: searched("Die zugrunde liegende Verbindung wurde geschlossen"),
      },
      {
        phrase: "une connexion qui devait être maintenue active a été fermée par le serveur",
        weight: 1,
        lang: "fr",
        source: searched("La connexion sous-jacente a été fermée"),
      },
      {
        phrase: "Uma conexão que deveria permanecer ativa foi fechada pelo servidor",
        weight: 1,
        lang: "pt-BR",
        source: searched("A conexão subjacente estava fechada"),
      },
      {
        phrase: "una connessione che doveva restare attiva è stata chiusa dal server",
        weight: 1,
        lang: "it",
        source: searched("Connessione sottostante chiusa"),
      },
      ...keptAliveWordings,
    ],
    source: {
      title: "Load Balancer TCP idle timeout",
      url: "https://learn.microsoft.com/azure/load-balancer/load-balancer-tcp-idle-timeout",
    },
  },
  {
    id: "connection-closed-on-receive",
    title: "Connection closed while the reply was read",
    meaning:
      "The request went out, then the server or a device between (proxy, firewall, load balancer) dropped the connection while the node read the answer. It is not the article's TLS case, which fails on the send. Look at the inner error and at what sits between the node and that address; only if it fails on every request to one HTTPS endpoint is an old TLS version worth checking too.",
    shadows: ["underlying-connection-was-closed"],
    signatures: [
      {
        phrase: "The underlying connection was closed: An unexpected error occurred on a receive",
        weight: 1,
        source: "https://learn.microsoft.com/azure/data-factory/self-hosted-integration-runtime-troubleshoot-guide",
      },
      {
        phrase: "Die zugrunde liegende Verbindung wurde geschlossen: Unerwarteter Fehler beim Empfangen",
        weight: 1,
        lang: "de",
        source:
          "https://learn.microsoft.com/de-de/azure/data-factory/self-hosted-integration-runtime-troubleshoot-guide",
      },
      {
        phrase: "受信時に予期しないエラーが発生しました",
        weight: 1,
        lang: "ja",
        source:
          "https://learn.microsoft.com/ja-jp/azure/data-factory/self-hosted-integration-runtime-troubleshoot-guide",
      },
      {
        phrase: "基础连接已经关闭: 接收时发生错误",
        weight: 1,
        lang: "zh-Hans",
        source: searched("基础连接已经关闭: 接收时发生错误"),
      },
      ...closedOnReceiveWordings,
    ],
    source: {
      title: "Troubleshoot self-hosted integration runtime (a connection reset after the handshake)",
      url: "https://learn.microsoft.com/azure/data-factory/self-hosted-integration-runtime-troubleshoot-guide",
    },
  },
  {
    id: "azure-devops-throttling",
    title: "Azure DevOps throttling (TF20503)",
    meaning:
      "Azure DevOps, not SharePoint, throttled the caller (TF20503): one identity sent too many requests in its rate-limit window. It is not the scanner's SharePoint throttling; wait for Retry-After and reduce parallel calls to Azure DevOps.",
    shadows: ["stuck-scanner-processes"],
    signatures: [
      {
        phrase: "TF20503",
        weight: 1,
        source: `${searched("The request has been throttled")} (Azure DevOps: "TF20503: The request has been throttled")`,
      },
    ],
    source: {
      title: "Rate and usage limits (Azure DevOps)",
      url: "https://learn.microsoft.com/azure/devops/integrate/concepts/rate-limits",
    },
  },
];

/** Every known other cause, validated when the module loads. */
export const otherCauses: readonly OtherCause[] = Object.freeze(z.array(otherCauseSchema).parse(otherCauseInputs));
