import { createAccessPolicy } from "../access/accessPolicy.js";
import { ConfirmationLedger } from "../actions/confirmationLedger.js";
import type { BotConfig } from "../config/botConfig.js";
import type { Delivery, Platform } from "../delivery/delivery.js";
import { webhookTargets } from "../delivery/notifyOnly.js";
import { createWebhookDelivery } from "../delivery/webhookDelivery.js";
import type { WebhookPostPolicy } from "../delivery/webhookPoster.js";
import type { Logger } from "../foundation/logger.js";
import { createBotMetrics, meteredAuditSink } from "../operations/metrics.js";
import { type OperationsServer, startOperationsServer } from "../operations/operationsServer.js";
import type { Router } from "../routing/router.js";
import { type ClusterLeases, LocalClusterLeases, leasedTargets, PostgresClusterLeases } from "../store/leases.js";
import { openReadyStore } from "../store/openStore.js";
import { PostgresConfirmationLedger } from "../store/postgresConfirmations.js";
import { PostgresStore } from "../store/postgresStore.js";
import type { Store } from "../store/store.js";
import { fleetTargets, fleetWatcher, subscribeConfiguredChannels } from "../watch/fleetWatch.js";
import type { Watcher } from "../watch/watcher.js";
import { createBot } from "./bot.js";

/** A started chat adapter, as the runtime stops it. */
interface RunningAdapter {
  name: Platform;
  delivery: Delivery;
  url?: string;
  stop(): Promise<void>;
}

export interface RuntimeOptions {
  config: BotConfig;
  logger: Logger;
  now?: () => Date;
}

export interface Runtime {
  /** The router every adapter shares (commands in flight are counted for a clean shutdown). */
  router: Router;
  store: Store;
  watcher?: Watcher;
  /** Where each listener ended up (useful with port 0). */
  urls: { slack?: string; teams?: string; operations?: string };
  /** Commands still running. */
  inFlight(): number;
  /** Stops taking work, finishes commands and notifications in flight, closes everything. */
  stop(reason?: string): Promise<void>;
}

/** Wraps a router so shutdown can wait for every command that was already accepted. */
function countingRouter(router: Router): { router: Router; inFlight(): number; drained(): Promise<void> } {
  let running = 0;
  const waiters: (() => void)[] = [];
  const settle = () => {
    running -= 1;
    if (running === 0) for (const wake of waiters.splice(0)) wake();
  };
  return {
    router: {
      ...router,
      dispatch(line, caller, options) {
        const dispatch = router.dispatch(line, caller, options);
        running += 1;
        dispatch.result.then(settle, settle);
        return dispatch;
      },
    },
    inFlight: () => running,
    drained: () =>
      running === 0
        ? Promise.resolve()
        : new Promise<void>((resolve) => {
            waiters.push(resolve);
          }),
  };
}

function withTimeout(promise: Promise<void>, ms: number): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  return Promise.race([
    promise.then(() => true),
    new Promise<boolean>((resolve) => {
      timer = setTimeout(() => resolve(false), ms);
    }),
  ]).finally(() => clearTimeout(timer));
}

/** Each webhook platform: how errors name it and where its payload renderer lives (loaded only when used). */
const webhookKinds = [
  {
    platform: "slack-webhook",
    service: "Slack webhook",
    render: async () => (await import("../../adapters/slack/webhookPayload.js")).slackWebhookPayload,
  },
  {
    platform: "teams-workflow",
    service: "Teams workflow",
    render: async () => (await import("../../adapters/teams/workflowPayload.js")).workflowPayload,
  },
] as const;

/** Deliveries for the configured webhook channels (notify-only: a deployment may have nothing else). */
export async function webhookDeliveries(
  config: Pick<BotConfig, "clusters">,
  policy?: WebhookPostPolicy,
): Promise<Partial<Record<Platform, Delivery>>> {
  const targets = webhookTargets(config.clusters);
  const deliveries: Partial<Record<Platform, Delivery>> = {};
  for (const kind of webhookKinds) {
    const mine = targets.filter((t) => t.platform === kind.platform);
    if (mine.length === 0) continue;
    deliveries[kind.platform] = createWebhookDelivery({
      platform: kind.platform,
      service: kind.service,
      targets: mine,
      render: await kind.render(),
      ...(policy ? { policy } : {}),
    });
  }
  return deliveries;
}

/**
 * Starts the bot as configured: store, fleet, access, audit, watcher, the chat
 * adapters whose sections are present, and the operations endpoints. Chat SDKs
 * are loaded only when their section is configured.
 */
export async function startRuntime(options: RuntimeOptions): Promise<Runtime> {
  const { config, logger } = options;
  const now = options.now ?? (() => new Date());
  const metrics = createBotMetrics({ withProcessMetrics: true });
  const store = await openReadyStore(config.store ?? {});
  const deliveries: Partial<Record<Platform, Delivery>> = {};
  let watcher: Watcher | undefined;
  let leases: ClusterLeases | undefined;
  let watching = false;

  const bot = createBot({
    logger,
    now,
    config,
    extraServices: {
      store,
      access: createAccessPolicy(config.access),
      audit: meteredAuditSink(metrics, store),
      guardedActions: {
        enabled: new Set(config.actions?.enabled ?? []),
        // Replicas share confirmations through PostgreSQL, so a confirm click may land on any of them.
        ledger: store instanceof PostgresStore ? new PostgresConfirmationLedger(store) : new ConfirmationLedger(),
      },
    },
    watch: (fleet, cfg) => {
      if (cfg.watch?.enabled === false) return undefined;
      // Replicas sharing PostgreSQL split the clusters by lease and each polls the nodes of those it
      // holds; with SQLite this one process holds them all.
      const clusters = () => fleet.clusters().map((c) => c.name);
      leases =
        store instanceof PostgresStore
          ? new PostgresClusterLeases({
              store,
              clusters,
              ttlMs: config.store?.leaseTtl ?? 30_000,
              logger,
              onChange: async (change) => {
                if (change.acquired.length === 0) return;
                await watcher?.adoptClusters(change.acquired);
                if (watching) watcher?.start();
              },
            })
          : new LocalClusterLeases(clusters);
      const targets = leasedTargets(fleetTargets(fleet), leases);
      // Deliveries are filled in as the adapters start; the watcher looks them up at send time. The leases
      // also decide whose messages it sends and which leftover claims it may settle (those of gone replicas).
      watcher = fleetWatcher({ config: cfg, fleet, store, deliveries, logger, now, targets, leases });
      return { store, watcher };
    },
  });
  const counted = countingRouter(bot.router);
  const adapters: RunningAdapter[] = [];
  let operations: OperationsServer | undefined;
  let shuttingDown = false;

  try {
    if (config.slack) {
      const { startSlackAdapter } = await import("../../adapters/slack/slackAdapter.js");
      const slack = await startSlackAdapter({ router: counted.router, settings: config.slack, logger });
      adapters.push({ name: "slack", ...slack });
      deliveries.slack = slack.delivery;
      bot.router.services.groups?.attach(slack.groups);
    }
    if (config.teams) {
      const { startTeamsAdapter } = await import("../../adapters/teams/teamsAdapter.js");
      const teams = await startTeamsAdapter({
        router: counted.router,
        settings: config.teams,
        conversations: store,
        logger,
        now,
      });
      adapters.push({ name: "teams", ...teams });
      deliveries.teams = teams.delivery;
      if (teams.groups) bot.router.services.groups?.attach(teams.groups);
    }
    Object.assign(deliveries, await webhookDeliveries(config));
    if (watcher) {
      await subscribeConfiguredChannels(config, store, now());
      // The first lease round runs before the first poll, so a replica starts with its share.
      await leases?.tick();
      leases?.start();
      watching = true;
      watcher.start();
    }
    if (config.operations) {
      operations = await startOperationsServer({
        host: config.operations.host,
        port: config.operations.port,
        registry: metrics.registry,
        isShuttingDown: () => shuttingDown,
        readiness: {
          store: async () => {
            try {
              await store.listSubscriptions();
              return undefined;
            } catch {
              return "the store does not answer";
            }
          },
        },
      });
    }
  } catch (err) {
    await Promise.allSettled(adapters.map((a) => a.stop()));
    await watcher?.stop();
    await leases?.stop().catch(() => undefined);
    bot.fleet?.close();
    await store.close();
    throw err;
  }

  const gaugeTimer = setInterval(() => {
    metrics.queueDepth.set({ queue: "agent_calls" }, bot.fleet?.pending ?? 0);
    metrics.queueDepth.set({ queue: "commands_in_flight" }, counted.inFlight());
    void store
      .listIncidents({ open: true })
      .then((open) => metrics.openIncidents.set(open.length))
      .catch(() => undefined);
  }, 5_000);
  gaugeTimer.unref();

  let stopping: Promise<void> | undefined;
  async function stop(reason = "shutdown"): Promise<void> {
    stopping ??= (async () => {
      shuttingDown = true;
      clearInterval(gaugeTimer);
      logger.info({ reason, inFlight: counted.inFlight() }, "stopping: no new work, finishing what is in flight");
      // 1. Take no new requests; 2. let accepted commands finish and reply; 3. let the watcher
      // finish the sends it claimed (the notification log resends anything cut off on the next start).
      await Promise.allSettled(adapters.map((a) => a.stop()));
      const drained = await withTimeout(counted.drained(), config.operations?.drainTimeoutMs ?? 30_000);
      if (!drained) logger.warn({ inFlight: counted.inFlight() }, "gave up waiting for commands in flight");
      await watcher?.stop();
      // Hand the clusters back now rather than letting the other replicas wait out the TTL.
      await leases?.stop().catch((err: unknown) => logger.warn({ err }, "could not hand the cluster leases back"));
      bot.fleet?.close();
      await operations?.close();
      await store.close();
      logger.info("stopped");
    })();
    return stopping;
  }

  const urls: Runtime["urls"] = {};
  for (const adapter of adapters) if (adapter.url) urls[adapter.name as "slack" | "teams"] = adapter.url;
  if (operations) urls.operations = operations.url;
  logger.info({ urls, clusters: config.clusters.map((c) => c.name) }, "scanner-bot running");

  return { router: counted.router, store, ...(watcher ? { watcher } : {}), urls, inFlight: counted.inFlight, stop };
}
