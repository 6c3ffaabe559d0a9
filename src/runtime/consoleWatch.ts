import type { ShellConsole } from "../../adapters/shell/shellConsole.js";
import { ShellDelivery } from "../../adapters/shell/shellDelivery.js";
import type { BotConfig } from "../config/botConfig.js";
import type { FleetClient } from "../fleet/fleetClient.js";
import { formatDuration } from "../foundation/duration.js";
import type { Logger } from "../foundation/logger.js";
import { openStore } from "../store/openStore.js";
import type { ScanCycleRecord } from "../store/scanCycleRecord.js";
import { allClusters, type Store } from "../store/store.js";
import { fleetWatcher, subscribeConfiguredChannels } from "../watch/fleetWatch.js";
import type { Watcher } from "../watch/watcher.js";

/** The console's conversation id, as `startShellConsole` gives its caller. */
export const consoleConversationId = "console";

export interface ConsoleWatchOptions {
  logger: Logger;
  /** Store file; `:memory:` keeps the demo from writing anything. Default: the config's `store` section. */
  storePath?: string;
  now?: () => Date;
  /**
   * Whether this console will poll (`start`). A piped script's console does not, and then the router
   * gets no watcher, so `watch on` and `incidents` say that nothing checks the nodes. Default true.
   */
  polls?: boolean;
}

type WatchedConfig = Pick<BotConfig, "clusters" | "watch" | "store">;

/**
 * The watcher for a console run: alerts for every cluster go to the console
 * (subscribed as `shell:console`). `build` runs inside `createBot` once the
 * fleet exists and gives the router its store and watcher; `start` begins
 * polling and `attach` points the alerts at the console.
 */
export class ConsoleWatch {
  readonly delivery = new ShellDelivery();
  private built: { store: Store; watcher: Watcher; fleet: FleetClient; config: WatchedConfig } | undefined;

  constructor(private readonly options: ConsoleWatchOptions) {}

  /** Opens the store and builds the (idle) watcher for this fleet; undefined when the config turns watching off. */
  readonly build = (fleet: FleetClient, config: WatchedConfig): { store: Store; watcher?: Watcher } | undefined => {
    if (config.watch?.enabled === false) return undefined;
    const store = openStore(this.options.storePath ? { path: this.options.storePath } : (config.store ?? {}));
    const watcher = fleetWatcher({
      config,
      fleet,
      store,
      deliveries: { shell: this.delivery },
      logger: this.options.logger,
      ...(this.options.now ? { now: this.options.now } : {}),
    });
    this.built = { store, watcher, fleet, config };
    return this.options.polls === false ? { store } : { store, watcher };
  };

  /**
   * Subscribes the console (and the configured channels) and starts polling;
   * alerts wait until `attach`. Returns one line saying what is watched.
   */
  async start(): Promise<string | undefined> {
    if (!this.built) return undefined;
    const { store, watcher, fleet, config } = this.built;
    const at = this.options.now?.() ?? new Date();
    await subscribeConfiguredChannels(config, store, at);
    await store.addSubscription({
      platform: "shell",
      conversationId: consoleConversationId,
      cluster: allClusters,
      notifyFinished: config.watch?.notifyFinished ?? false,
      liveCard: config.watch?.liveCard ?? true,
      createdBy: "console",
      createdAt: at.toISOString(),
    });
    watcher.start();
    const clusters = fleet.clusters().map((c) => {
      const s = watcher.settingsFor(c.name);
      return `${c.name} (poll every ${formatDuration(s.pollInterval)}, stalled after ${formatDuration(s.stallAfter)})`;
    });
    return `Watching ${clusters.join(", ")}: alerts appear here.`;
  }

  /** Prints alerts through this console from now on. */
  attach(console: Pick<ShellConsole, "notify"> & Partial<Pick<ShellConsole, "progress">>): void {
    this.delivery.attach(console);
  }

  /** Keeps a completed scan cycle in the store (the demo's previous cycle); nothing when watching is off. */
  async keepScanCycle(cycle: ScanCycleRecord): Promise<void> {
    await this.built?.store.recordScanCycle(cycle);
  }

  /** Stops polling, waits for sends in flight and closes the store. */
  async stop(): Promise<void> {
    await this.built?.watcher.stop();
    await this.built?.store.close();
  }
}
