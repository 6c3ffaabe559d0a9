import type { IncomingMessage, Server, ServerResponse } from "node:http";
import type { AddressInfo, Socket } from "node:net";
import {
  App,
  AuthorizationError,
  HTTPModuleFunctions,
  HTTPReceiver,
  type Receiver,
  SocketModeReceiver,
  type webApi,
} from "@slack/bolt";
import { type Dispatcher, Pool, ProxyAgent, type RequestInit as UndiciRequestInit, fetch as undiciFetch } from "undici";
import type { SlackSection } from "../../src/config/slackSection.js";
import type { Delivery } from "../../src/delivery.js";
import type { Logger } from "../../src/logger.js";
import type { Router } from "../../src/router.js";
import type { YieldingLane } from "../../src/yieldingLane.js";
import type { AdapterContext } from "./adapterContext.js";
import { renderBlockKit } from "./blockKit.js";
import { boltLogger } from "./boltLogger.js";
import { registerButtonListener } from "./buttonListener.js";
import { createButtonValueCodec } from "./buttonValue.js";
import { registerExplainShortcut } from "./conversationListeners.js";
import { registerEventListener } from "./eventListener.js";
import { createResponseUrlPoster } from "./responseUrl.js";
import { createSlackDelivery, failureOf } from "./slackDelivery.js";
import { registerSlashCommand } from "./slashCommand.js";

export interface SlackAdapterOptions {
  /** The shared command router (from createBot). */
  router: Router;
  /** The validated `slack` config section, secrets already resolved. */
  settings: SlackSection;
  logger: Logger;
  /** HTTP mode: overrides `settings.port` (tests pass 0 for a free port). */
  port?: number;
  /** HTTP mode: overrides `settings.host`. */
  host?: string;
  /**
   * How the Web API client retries failed calls (network errors, 5xx, and
   * 429s after their Retry-After wait). Default: up to 5 retries within about
   * 5 minutes. Tests pass a fast policy.
   */
  retryConfig?: webApi.RetryOptions;
  /** How long an accepted connection that has sent nothing holds back answer work. Default 100 ms. */
  acceptGraceMs?: number;
}

export interface SlackAdapter {
  /** Proactive messages (alerts, recoveries) to Slack channels. */
  delivery: Delivery;
  /** HTTP mode: the URL Slack must call (the app's Request URL). Absent in Socket Mode. */
  url?: string;
  /** Stops listening / disconnects; in-flight answers may still complete. */
  stop(): Promise<void>;
}

const defaultRetries: webApi.RetryOptions = { retries: 5, factor: 2, minTimeout: 1000, maxTimeout: 60_000 };

/**
 * Keeps the lane closed while a request is on its way in or waiting for its
 * ack: from the moment a connection is accepted (its request is coming) or a
 * kept-alive connection starts a new request, until that response is written.
 * A connection that sends nothing within `acceptGraceMs` stops holding the lane
 * until its request arrives, so connections left idle (pre-opened by a proxy,
 * or a port scanner's) cost answers that much once, not for their lifetime.
 */
function holdLaneWhileRequestsOpen(server: Server, lane: YieldingLane, acceptGraceMs: number): void {
  const open = new WeakMap<Socket, () => void>();
  const settle = (socket: Socket) => {
    open.get(socket)?.();
    open.delete(socket);
  };
  server.on("connection", (socket: Socket) => {
    const accepted = lane.opened();
    open.set(socket, accepted);
    const grace = setTimeout(() => {
      // Only the hold taken at accept: a request under way keeps its own.
      if (open.get(socket) === accepted) settle(socket);
    }, acceptGraceMs);
    grace.unref();
    socket.once("close", () => {
      clearTimeout(grace);
      settle(socket);
    });
  });
  server.on("request", (request: IncomingMessage, response: ServerResponse) => {
    const socket = request.socket;
    if (!open.has(socket)) open.set(socket, lane.opened());
    response.once("finish", () => settle(socket));
  });
}

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
function createProxyAgent(proxy: string): ProxyAgent {
  return new ProxyAgent({
    uri: proxy,
    // A proxy that takes the connection but never answers the CONNECT fails the tunnel in 30s, not undici's 5 min.
    clientFactory: (origin, options) => new ProxyPool(origin, { ...options, headersTimeout: proxyAnswerTimeoutMs }),
  });
}

/** The Web API client's fetch, sent through the proxy (as @slack/socket-mode does with its dispatcher). */
function fetchThrough(dispatcher: ProxyAgent): webApi.FetchFunction {
  // The Web API's init is typed against Node's bundled undici; its FormData (file uploads) is duck-typed at runtime.
  return (url, init) => undiciFetch(url, { ...(init as UndiciRequestInit), dispatcher });
}

/**
 * Starts the Slack adapter. The connection mode is the only thing the settings
 * switch: Socket Mode when `appToken` is set (no inbound traffic needed), else
 * HTTP on `port`/`path` with every request's signature checked by Bolt.
 */
export async function startSlackAdapter(options: SlackAdapterOptions): Promise<SlackAdapter> {
  const { router, settings, logger } = options;
  const log = boltLogger(logger);
  // One tunnel pool for everything sent to Slack: Web API calls, the Socket Mode connection, response URL posts.
  const proxy = settings.proxy ? createProxyAgent(settings.proxy) : undefined;
  const clientOptions: webApi.WebClientOptions = {
    ...(proxy ? { fetch: fetchThrough(proxy) } : {}),
    ...(settings.apiUrl
      ? { slackApiUrl: settings.apiUrl.endsWith("/") ? settings.apiUrl : `${settings.apiUrl}/` }
      : {}),
    retryConfig: options.retryConfig ?? defaultRetries,
    // Wait out Slack's Retry-After and retry, rather than failing the call.
    rejectRateLimitedCalls: false,
    logger: log,
  };

  let receiver: Receiver;
  if (settings.appToken) {
    receiver = new SocketModeReceiver({
      appToken: settings.appToken,
      logger: log,
      ...(proxy ? { dispatcher: proxy } : {}),
      installerOptions: { clientOptions },
    });
  } else if (settings.signingSecret) {
    receiver = new HTTPReceiver({
      signingSecret: settings.signingSecret,
      endpoints: [settings.path],
      bodyLimit: settings.maxRequestBodyBytes,
      logger: log,
      // A signed request Bolt cannot make sense of is a bad request (400), not a server fault (500).
      processEventErrorHandler: async (args) => {
        if (args.response.headersSent || args.error instanceof AuthorizationError) {
          return HTTPModuleFunctions.defaultProcessEventErrorHandler(args);
        }
        logger.warn({ failure: failureOf(args.error) }, "slack: could not process a request");
        args.response.writeHead(400).end();
        return true;
      },
    });
  } else {
    throw new Error("slack: set appToken (Socket Mode) or signingSecret (HTTP mode)");
  }

  const app = new App({
    token: settings.botToken,
    receiver,
    logger: log,
    clientOptions,
    // Bolt's per-conversation state store is unused here; skipping it saves work on every request.
    convoStore: false,
    ...(settings.appToken ? { socketMode: true } : {}),
    ...(settings.botId ? { botId: settings.botId } : {}),
    ...(settings.botUserId ? { botUserId: settings.botUserId } : {}),
  });

  const render = (reply: Parameters<AdapterContext["render"]>[0], maxBlocks?: number) =>
    renderBlockKit(reply, { buttonValue: buttons.encode, ...(maxBlocks ? { maxBlocks } : {}) });
  const buttons = createButtonValueCodec(settings.botToken);
  const responseUrl = createResponseUrlPoster(proxy ? { dispatcher: proxy } : {});
  const ctx: AdapterContext = { router, settings, logger, client: app.client, buttons, render, responseUrl };

  registerSlashCommand(app, ctx);
  registerEventListener(app, ctx);
  registerExplainShortcut(app, ctx);
  registerButtonListener(app, ctx);
  app.error(async (error) => {
    logger.error({ failure: failureOf(error) }, "slack: unhandled listener error");
  });

  const delivery = createSlackDelivery(app.client, (reply) => render(reply));
  const lane = router.services.lane;
  if (settings.proxy)
    logger.info({ proxyHost: proxyEndpoint(settings.proxy) }, "slack: outbound traffic goes through a proxy");
  const stop = async () => {
    try {
      await app.stop();
      responseUrl.close();
    } finally {
      if (proxy) await release(proxy);
    }
  };
  if (settings.appToken) {
    // Socket Mode: an envelope is open from the time Bolt takes it until its listener has acked and returned.
    app.use(async ({ next }) => {
      const closed = lane.opened();
      try {
        await next();
      } finally {
        closed();
      }
    });
    await startOrRelease(() => app.start(), proxy);
    logger.info("slack: connected over Socket Mode");
    return { delivery, stop };
  }

  const host = options.host ?? settings.host;
  const server = await startOrRelease(() => app.start({ port: options.port ?? settings.port, host }), proxy);
  holdLaneWhileRequestsOpen(server, lane, options.acceptGraceMs ?? 100);
  const address: AddressInfo | string | null = server.address();
  const port = typeof address === "object" && address ? address.port : (options.port ?? settings.port);
  const shownHost = host === "0.0.0.0" || host === "::" ? "localhost" : host;
  const url = `http://${shownHost.includes(":") ? `[${shownHost}]` : shownHost}:${port}${settings.path}`;
  logger.info({ url }, "slack: listening for HTTP requests");
  return { delivery, url, stop };
}

/**
 * Closes the proxy's pool, letting requests under way finish for a moment; then drops them, so a proxy that has
 * stopped answering cannot hold stop() for its timeouts.
 */
async function release(proxy: ProxyAgent): Promise<void> {
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
async function startOrRelease<T>(start: () => Promise<T>, proxy: ProxyAgent | undefined): Promise<T> {
  try {
    return await start();
  } catch (err) {
    if (proxy) await release(proxy);
    throw err;
  }
}
