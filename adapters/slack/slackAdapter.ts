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
import type { GroupDirectory } from "../../src/access/groupMembership.js";
import type { SlackSection } from "../../src/config/slackSection.js";
import type { Delivery } from "../../src/delivery/delivery.js";
import type { Logger } from "../../src/foundation/logger.js";
import type { Router } from "../../src/routing/router.js";
import type { YieldingLane } from "../../src/routing/yieldingLane.js";
import { MemoryRequestKeys, type RequestKeys, storeRequestKeys } from "../../src/store/requestKeys.js";
import type { AdapterContext } from "./adapterContext.js";
import { renderBlockKit } from "./blockKit.js";
import { boltLogger } from "./boltLogger.js";
import { registerButtonListener } from "./buttonListener.js";
import { createButtonValueCodec } from "./buttonValue.js";
import { registerExplainShortcut } from "./conversationListeners.js";
import { registerEventListener } from "./eventListener.js";
import { refuseFutureTimestamps } from "./futureTimestamps.js";
import { registerRedeliveryGuard, requestKeyRetentionMs, signedDigestOf } from "./redeliveryGuard.js";
import { createResponseUrlPoster } from "./responseUrl.js";
import { createSlackDelivery, failureOf } from "./slackDelivery.js";
import { slackGroupDirectory } from "./slackGroupDirectory.js";
import { closeProxy, createProxyAgent, fetchThrough, proxyEndpoint, startOrRelease } from "./slackProxy.js";
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
  /**
   * Where handled requests are recorded so Slack's re-deliveries run nothing twice. Default: the router's
   * store (shared by replicas on PostgreSQL), else this process's memory.
   */
  requestKeys?: RequestKeys;
  /** The clock for request timestamps and request keys. Default: the system clock (as Bolt's own check). */
  now?: () => Date;
}

export interface SlackAdapter {
  /** Proactive messages (alerts, recoveries) to Slack channels. */
  delivery: Delivery;
  /** HTTP mode: the URL Slack must call (the app's Request URL). Absent in Socket Mode. */
  url?: string;
  /** Stops listening / disconnects; in-flight answers may still complete. */
  stop(): Promise<void>;
  /** Who is in which Slack user group, for `group:` principals in `access`. */
  groups: GroupDirectory;
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

/**
 * Starts the Slack adapter. The connection mode is the only thing the settings
 * switch: Socket Mode when `appToken` is set (no inbound traffic needed), else
 * HTTP on `port`/`path` with every request's signature checked by Bolt.
 */
export async function startSlackAdapter(options: SlackAdapterOptions): Promise<SlackAdapter> {
  const { router, settings, logger } = options;
  const now = options.now ?? (() => new Date());
  const store = router.services.store;
  const requestKeys =
    options.requestKeys ??
    (store ? storeRequestKeys(store, requestKeyRetentionMs) : new MemoryRequestKeys(requestKeyRetentionMs));
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
    // Socket Mode has no signature and no timestamp: the socket itself is authenticated by the app token.
    receiver = new SocketModeReceiver({
      appToken: settings.appToken,
      logger: log,
      ...(proxy ? { dispatcher: proxy } : {}),
      installerOptions: { clientOptions },
    });
  } else if (settings.signingSecret) {
    const http = new HTTPReceiver({
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
      // Runs after the signature check; a request without a trigger or event id is known by this digest.
      customPropertiesExtractor: signedDigestOf,
    });
    refuseFutureTimestamps(http, { now, logger });
    receiver = http;
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
    renderBlockKit(reply, {
      buttonValue: buttons.encode,
      tables: settings.tables,
      ...(maxBlocks ? { maxBlocks } : {}),
    });
  const buttons = createButtonValueCodec(settings.botToken);
  const responseUrl = createResponseUrlPoster(proxy ? { dispatcher: proxy } : {});
  const ctx: AdapterContext = { router, settings, logger, client: app.client, buttons, render, responseUrl };

  // First: a re-delivered request must not reach any listener.
  registerRedeliveryGuard(app, { keys: requestKeys, logger, now });
  registerSlashCommand(app, ctx);
  registerEventListener(app, ctx);
  registerExplainShortcut(app, ctx);
  registerButtonListener(app, ctx);
  app.error(async (error) => {
    logger.error({ failure: failureOf(error) }, "slack: unhandled listener error");
  });

  const delivery = createSlackDelivery(app.client, (reply) => render(reply));
  const groups = slackGroupDirectory(settings.botToken, clientOptions);
  const lane = router.services.lane;
  if (settings.proxy)
    logger.info({ proxyHost: proxyEndpoint(settings.proxy) }, "slack: outbound traffic goes through a proxy");
  const stop = async () => {
    try {
      await app.stop();
      responseUrl.close();
    } finally {
      if (proxy) await closeProxy(proxy);
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
    return { delivery, groups, stop };
  }

  const host = options.host ?? settings.host;
  const server = await startOrRelease(() => app.start({ port: options.port ?? settings.port, host }), proxy);
  holdLaneWhileRequestsOpen(server, lane, options.acceptGraceMs ?? 100);
  const address: AddressInfo | string | null = server.address();
  const port = typeof address === "object" && address ? address.port : (options.port ?? settings.port);
  const shownHost = host === "0.0.0.0" || host === "::" ? "localhost" : host;
  const url = `http://${shownHost.includes(":") ? `[${shownHost}]` : shownHost}:${port}${settings.path}`;
  logger.info({ url }, "slack: listening for HTTP requests");
  return { delivery, groups, url, stop };
}
