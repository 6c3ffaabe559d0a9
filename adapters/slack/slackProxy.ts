import type { webApi } from "@slack/bolt";
import { type Dispatcher, Pool, ProxyAgent, type RequestInit as UndiciRequestInit, fetch as undiciFetch } from "undici";

/**
 * Slack's traffic through an outbound proxy (`slack.proxy`): one undici
 * ProxyAgent for the Web API, the Socket Mode connection and response URL
 * posts, with the workarounds undici 7 needs.
 */

/** The proxy's host:port for the log: never its credentials, path or anything else from the URL. */
export function proxyEndpoint(proxy: string): string {
  const url = new URL(proxy);
  return `${url.hostname}:${url.port || (url.protocol === "https:" ? "443" : "80")}`;
}

/**
 * A proxy that closed the connection while a CONNECT tunnel was being opened. undici 7 reports that as a
 * socket error (UND_ERR_SOCKET), which its client takes for a recoverable drop of a working connection: it
 * keeps the request queued and asks the proxy again at once, thousands of times a second, forever
 * (nodejs/undici#3897). Any other code makes it fail the request; this one is the code of the upstream fix
 * (nodejs/undici#5441), after which this class and ProxyPool can go.
 */
class ProxyConnectionError extends Error {
  readonly code = "UND_ERR_PRX_CONN";
  constructor(cause: unknown) {
    super("the proxy closed the connection while opening the tunnel", { cause });
    this.name = "ProxyConnectionError";
  }
}

/** The ProxyAgent's connection to the proxy itself, whose failed CONNECTs are final (see ProxyConnectionError). */
class ProxyPool extends Pool {
  override connect(options: ProxyConnectOptions): Promise<Dispatcher.ConnectData>;
  override connect(options: ProxyConnectOptions, callback: ConnectCallback): void;
  override connect(
    options: ProxyConnectOptions,
    callback?: ConnectCallback,
  ): undefined | Promise<Dispatcher.ConnectData> {
    if (callback) {
      super.connect(options, callback);
      return;
    }
    return super.connect(options).catch((err: unknown) => {
      const code = err instanceof Error ? (err as Error & { code?: unknown }).code : undefined;
      throw code === "UND_ERR_SOCKET" ? new ProxyConnectionError(err) : err;
    });
  }
}
type ProxyConnectOptions = Parameters<Pool["connect"]>[0];
type ConnectCallback = (err: Error | null, data: Dispatcher.ConnectData) => void;

/** How long the proxy may take to answer a CONNECT. */
const proxyAnswerTimeoutMs = 30_000;
/** How long stop() lets requests through the proxy finish before dropping them. */
const proxyCloseGraceMs = 2000;

/** One ProxyAgent for all of Slack's traffic; the URL (with any credentials) goes no further than undici. */
export function createProxyAgent(proxy: string): ProxyAgent {
  return new ProxyAgent({
    uri: proxy,
    // A proxy that takes the connection but never answers the CONNECT fails the tunnel in 30s, not undici's 5 min.
    clientFactory: (origin, options) => new ProxyPool(origin, { ...options, headersTimeout: proxyAnswerTimeoutMs }),
  });
}

/** The Web API client's fetch, sent through the proxy (as @slack/socket-mode does with its dispatcher). */
export function fetchThrough(dispatcher: ProxyAgent): webApi.FetchFunction {
  // The Web API's init is typed against Node's bundled undici; its FormData (file uploads) is duck-typed at runtime.
  return (url, init) => undiciFetch(url, { ...(init as UndiciRequestInit), dispatcher });
}

/**
 * Closes the proxy's pool, letting requests under way finish for a moment; then drops them, so a proxy that has
 * stopped answering cannot hold stop() for its timeouts.
 */
export async function closeProxy(proxy: ProxyAgent): Promise<void> {
  let grace: NodeJS.Timeout | undefined;
  const late = new Promise<"late">((resolve) => {
    grace = setTimeout(resolve, proxyCloseGraceMs, "late");
  });
  const closed = proxy.close().then(
    () => "closed" as const,
    () => "closed" as const,
  );
  const outcome = await Promise.race([closed, late]);
  clearTimeout(grace);
  if (outcome === "late") await proxy.destroy().catch(() => undefined);
}

/** Starts the app; if that fails the proxy's pool is closed, since no stop() will come. */
export async function startOrRelease<T>(start: () => Promise<T>, proxy: ProxyAgent | undefined): Promise<T> {
  try {
    return await start();
  } catch (err) {
    if (proxy) await closeProxy(proxy);
    throw err;
  }
}
