import { randomUUID } from "node:crypto";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { ActivityTypes, type TurnContext } from "botbuilder";
import type { GroupDirectory } from "../../src/access/groupMembership.js";
import { type TeamsSection, teamsTurnBudgetMs } from "../../src/config/teamsSection.js";
import type { ConversationStore } from "../../src/delivery/conversationStore.js";
import type { Delivery } from "../../src/delivery/delivery.js";
import type { Logger } from "../../src/foundation/logger.js";
import { reply } from "../../src/reply/reply.js";
import type { Router } from "../../src/routing/router.js";
import { teamsActivity } from "./cardMessage.js";
import { turnConnector } from "./connectorClient.js";
import { graphCredentials, graphGroupDirectory } from "./graphGroupDirectory.js";
import { createMessagingEndpoint, EndpointAdapter } from "./messagingEndpoint.js";
import { createTeamsAuthentication } from "./teamsAuthentication.js";
import { createTeamsDelivery } from "./teamsDelivery.js";
import { createTurnHandler } from "./turnHandler.js";

/**
 * The Microsoft Teams adapter: the Bot Framework messaging endpoint on
 * node:http, the turn logic, and proactive delivery. Every botbuilder type
 * stays inside adapters/teams/; the rest of the bot sees `Delivery` and the
 * router only.
 */
export interface TeamsAdapterOptions {
  /** The shared command router (from `createBot`). */
  router: Router;
  /** The validated `teams` config section (secrets already resolved by the config loader). */
  settings: TeamsSection;
  /** Where conversation references live (SQLite in production), for proactive messages. */
  conversations: ConversationStore;
  logger: Logger;
  /** Overrides `settings.port` (0 picks a free port). */
  port?: number;
  /** Overrides `settings.host`. */
  host?: string;
  /** Wall clock for stored timestamps; tests pass a fixed one. */
  now?: () => Date;
  /**
   * Test only: a fixed bearer token for outgoing connector calls instead of
   * asking the Microsoft login service (loopback tests with a stand-in connector).
   */
  outgoingToken?: string;
  /** Delivery retry tuning (attempts per send, first backoff); defaults suit production. */
  delivery?: { maxAttempts?: number; baseDelayMs?: number; sleep?: (ms: number) => Promise<void> };
  /** Where the loud anonymous-mode notice goes besides the log; defaults to stderr. */
  console?: (line: string) => void;
}

export interface TeamsAdapterHandle {
  /** Proactive sends to Teams (stall alerts, action outcomes). */
  delivery: Delivery;
  /** The messaging endpoint, e.g. `http://127.0.0.1:3978/api/messages`. */
  url: string;
  /** True when no app id is configured and requests are not authenticated. */
  anonymous: boolean;
  /** Entra ID group membership through Graph; absent when the section cannot get an app-only token. */
  groups?: GroupDirectory;
  /** Resolves once every answer still in the works (placeholders to replace) has been delivered. */
  settled(): Promise<void>;
  /** Stops accepting requests, aborts running commands and waits for pending updates. */
  stop(): Promise<void>;
}

/** A send late in an overrun turn still gets this long before it goes to the background path. */
const minInTurnSendMs = 250;

/** Starts the Teams messaging endpoint and returns its Delivery. */
export async function startTeamsAdapter(options: TeamsAdapterOptions): Promise<TeamsAdapterHandle> {
  const { settings, logger } = options;
  const log = logger.child({ adapter: "teams" });
  const now = options.now ?? (() => new Date());
  const auth = createTeamsAuthentication(settings, {
    now,
    ...(options.outgoingToken ? { outgoingToken: options.outgoingToken } : {}),
  });
  const adapter = new EndpointAdapter(auth.authentication);
  const stopping = new AbortController();
  const pending = new Set<Promise<unknown>>();

  const delivery = createTeamsDelivery({
    adapter,
    appId: auth.appId,
    conversations: options.conversations,
    now,
    logger: log,
    ...options.delivery,
  });

  adapter.onTurnError = async (context, err) => {
    const ref = randomUUID().slice(0, 8);
    log.error({ err, ref, type: context.activity.type }, "Teams turn failed");
    if (context.activity.type === ActivityTypes.Message) {
      const text = `Something went wrong on the bot's side (reference ${ref}).`;
      await context
        .sendActivity(teamsActivity(reply(text, { status: "error" }).status("error", text).build()))
        .catch((sendErr: unknown) => log.warn({ err: sendErr, ref }, "could not report the failure in Teams"));
    }
  };

  const handleTurn = createTurnHandler({
    router: options.router,
    conversations: options.conversations,
    delivery,
    logger: log,
    now,
    signal: stopping.signal,
    track: (work) => {
      pending.add(work);
      work.finally(() => pending.delete(work)).catch(() => undefined);
    },
  });

  let warnedAboutRetries = false;
  let warnedAboutTimeout = false;
  const logic = async (context: TurnContext): Promise<void> => {
    // Sends in the turn hold Teams' request open: one bounded try each, failures go to the proactive path.
    // Teams waits 15 s for the whole turn, so a send late in the turn (after a slow command) gets only what is left.
    const arrived = now().getTime();
    const sendDeadline = () =>
      Math.max(minInTurnSendMs, Math.min(settings.inTurnSendTimeout, teamsTurnBudgetMs - (now().getTime() - arrived)));
    const connector = turnConnector(adapter, context, sendDeadline);
    if (!connector.retriesRemoved && !warnedAboutRetries) {
      warnedAboutRetries = true;
      log.warn(
        "the Bot Framework SDK's retry policy was not found; replies in a turn may retry and outlast Teams' 15 s",
      );
    }
    if (!connector.timeoutAdded && !warnedAboutTimeout) {
      warnedAboutTimeout = true;
      log.warn("could not give Bot Connector calls a timeout; a connector that never answers may hold a turn");
    }
    await handleTurn(context);
  };

  const server = createServer(
    createMessagingEndpoint({
      adapter,
      authentication: auth.authentication,
      logic,
      path: settings.path,
      maxBodyBytes: settings.maxBodyBytes,
      logger: log,
    }),
  );
  server.requestTimeout = 30_000;
  const host = options.host ?? settings.host;
  const port = options.port ?? settings.port;
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(port, host, () => {
      server.off("error", reject);
      resolve();
    });
  });
  const address = server.address() as AddressInfo;
  const shownHost = address.family === "IPv6" ? `[${address.address}]` : address.address;
  const url = `http://${shownHost}:${address.port}${settings.path}`;

  if (auth.anonymous) {
    const warning =
      "Teams endpoint is running WITHOUT authentication (no teams.appId configured): anyone who can reach it can run commands. Use this only with the Bot Framework Emulator on your own machine.";
    log.warn({ url }, warning);
    (options.console ?? ((line: string) => process.stderr.write(`${line}\n`)))(`WARNING: ${warning}`);
  } else {
    log.info({ url, appId: auth.appId, appType: settings.appType }, "Teams endpoint listening");
  }

  const credentials = graphCredentials(settings);
  return {
    delivery,
    url,
    anonymous: auth.anonymous,
    ...("missing" in credentials ? {} : { groups: graphGroupDirectory(credentials) }),
    async settled() {
      while (pending.size > 0) await Promise.allSettled([...pending]);
    },
    async stop() {
      stopping.abort();
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
      await Promise.allSettled([...pending]);
    },
  };
}
