import {
  createScannerSimulator,
  type ScannerSimulator,
  type SimulatorScenario,
} from "../../agent/simulator/scannerSimulator.js";
import { type WatchSection, watchSectionSchema, watchSettingsFor } from "../../src/config/watchSection.js";
import type {
  ConversationAddress,
  Delivery,
  DeliveryError,
  Platform,
  PostedMessage,
  PostOptions,
} from "../../src/delivery/delivery.js";
import { ScanProgress } from "../../src/fleet/scanProgress.js";
import { BotError } from "../../src/foundation/botError.js";
import { type Logger, silentLogger } from "../../src/foundation/logger.js";
import type { Reply } from "../../src/reply/reply.js";
import { LocalClusterLeases, type WatchLeases } from "../../src/store/leases.js";
import type { Store } from "../../src/store/store.js";
import { IncidentBook } from "../../src/watch/incidents.js";
import { NotificationSender } from "../../src/watch/notificationSender.js";
import type { FinishedScan } from "../../src/watch/rules/finishedRule.js";
import { Watcher, type WatcherOptions, type WatchProbe } from "../../src/watch/watcher.js";

/** A clock the test moves by hand. */
export class FakeClock {
  constructor(public ms = Date.parse("2026-11-25T01:00:00.000Z")) {}
  readonly now = () => new Date(this.ms);
  advance(ms: number): void {
    this.ms += ms;
  }
}

export interface Post {
  to: ConversationAddress;
  reply: Reply;
  options: PostOptions;
  message: PostedMessage;
}

/** A Delivery that records what it was asked to send and can be told to fail. */
export class RecordingDelivery implements Delivery {
  readonly posts: Post[] = [];
  readonly updates: { message: PostedMessage; reply: Reply }[] = [];
  /** Errors thrown by the next posts to a conversation, first in first out. */
  readonly failures = new Map<string, DeliveryError[]>();
  attempts = 0;
  private seq = 0;
  constructor(readonly platform: Platform = "slack") {}

  async post(to: ConversationAddress, reply: Reply, options: PostOptions = {}): Promise<PostedMessage> {
    this.attempts++;
    const queued = this.failures.get(to.conversationId);
    const failure = queued?.shift();
    if (failure) throw failure;
    const message: PostedMessage = {
      platform: this.platform,
      conversationId: to.conversationId,
      messageId: `m${++this.seq}`,
      ...(options.threadOf ? { threadId: options.threadOf.messageId } : {}),
    };
    this.posts.push({ to, reply, options, message });
    return message;
  }

  /** Errors thrown by the next updates (of any message), first in first out. */
  readonly updateFailures: DeliveryError[] = [];

  async update(message: PostedMessage, reply: Reply): Promise<void> {
    const failure = this.updateFailures.shift();
    if (failure) throw failure;
    this.updates.push({ message, reply });
  }

  /** Texts of every post, in order. */
  texts(): string[] {
    return this.posts.map((p) => p.reply.text);
  }
}

/** Simulated nodes behind a probe, with a switch that makes a node's agent stop answering. */
export class SimulatedFleet {
  readonly nodes = new Map<string, ScannerSimulator>();
  readonly down = new Set<string>();
  polls = 0;
  /** Report digests read (only for a "scan finished" message someone asked for). */
  reportReads = 0;

  constructor(
    readonly clock: FakeClock,
    readonly cluster: string,
    specs: {
      node: string;
      scenario?: SimulatorScenario;
      timeline?: { atSeconds: number; scenario: SimulatorScenario }[];
    }[],
  ) {
    const names = specs.map((s) => s.node);
    specs.forEach((spec, i) => {
      this.nodes.set(
        spec.node,
        createScannerSimulator({
          nodeName: spec.node,
          cluster,
          clusterNodes: names,
          seed: i + 1,
          now: clock.now,
          ...(spec.scenario ? { scenario: spec.scenario } : {}),
          ...(spec.timeline ? { timeline: spec.timeline } : {}),
          eventLog: true,
        }),
      );
    });
  }

  targets() {
    return [...this.nodes.keys()].map((node) => ({ node, cluster: this.cluster }));
  }

  /** The progress model, fed by every answered status poll as the fleet client feeds it. */
  progress = new ScanProgress();

  readonly probe: WatchProbe = {
    status: async (node) => {
      this.polls++;
      const sim = this.nodes.get(node);
      if (!sim || this.down.has(node)) {
        return { ok: false, error: new BotError("agent_unreachable", `${node} did not answer (connection refused)`) };
      }
      const value = await sim.status();
      this.progress.observe(this.cluster, node, value, this.clock.now());
      return { ok: true, value };
    },
    errors: async (node) => {
      const sim = this.nodes.get(node);
      if (!sim) return { ok: false, error: new BotError("not_found", "no such node") };
      return { ok: true, value: await sim.errors({ count: 20 }) };
    },
    report: async (node) => {
      this.reportReads++;
      const sim = this.nodes.get(node);
      if (!sim || this.down.has(node)) {
        return { node, ok: false, error: new BotError("agent_unreachable", `${node} did not answer`), durationMs: 0 };
      }
      return { node, ok: true, value: await sim.report({ cycle: "last" }), durationMs: 0 };
    },
  };
}

/** A watcher over simulated nodes with a fake clock and no send pacing. */
export function buildWatcher(
  store: Store,
  fleet: SimulatedFleet,
  delivery: Delivery,
  section: Partial<WatchSection> = {},
  extra: Partial<WatcherOptions> = {},
): Watcher {
  return new Watcher({
    store,
    probe: fleet.probe,
    targets: () => fleet.targets(),
    section: watchSectionSchema.parse(section),
    deliveries: { [delivery.platform]: delivery },
    logger: silentLogger(),
    now: fleet.clock.now,
    channelIntervalMs: 0,
    sleep: async () => {},
    ...extra,
  });
}

/** Polls once a minute for `minutes`, sending what is due after each poll; returns the minutes at which posts happened. */
export async function runMinutes(
  watcher: Watcher,
  clock: FakeClock,
  minutes: number,
  onMinute?: (minute: number) => void | Promise<void>,
): Promise<void> {
  for (let m = 0; m < minutes; m++) {
    await onMinute?.(m);
    await watcher.pollAll();
    await watcher.idle();
    clock.advance(60_000);
  }
}

export async function subscribe(
  store: Store,
  conversationId = "C0SCANOPS",
  cluster = "*",
  notifyFinished = false,
  liveCard = true,
) {
  await store.addSubscription({
    platform: "slack",
    conversationId,
    cluster,
    notifyFinished,
    liveCard,
    createdBy: "U1",
    createdAt: "2026-11-25T00:00:00.000Z",
  });
}

/** An incident book on its own (no watcher), sending through `delivery` without pacing, on the clock's time. */
export function incidentBookOver(
  store: Store,
  clock: FakeClock,
  delivery: RecordingDelivery,
  options: {
    section?: Partial<WatchSection>;
    sendsFor?: (cluster: string) => boolean;
    leases?: WatchLeases;
    logger?: Logger;
  } = {},
): IncidentBook {
  const leases = options.leases ?? new LocalClusterLeases(() => ["contoso-prod"]);
  return new IncidentBook({
    store,
    sender: new NotificationSender({
      store,
      deliveries: { [delivery.platform]: delivery },
      logger: silentLogger(),
      now: clock.now,
      channelIntervalMs: 0,
      replicaId: leases.replicaId,
    }),
    settingsFor: (cluster) => watchSettingsFor(watchSectionSchema.parse(options.section ?? {}), cluster),
    now: clock.now,
    logger: options.logger ?? silentLogger(),
    leases,
    sendsFor: options.sendsFor ?? (() => true),
  });
}

/** A cluster's finished cycle as the finished rule reports it (two nodes, 120,000 files, 3 failed). */
export function finishedScan(startTime: string | null, finishedAt: string, cluster = "contoso-prod"): FinishedScan {
  return {
    cluster,
    startTime,
    finishedAt,
    nodes: 2,
    scannedFiles: 120_000,
    failedFiles: 3,
    scannedBytes: 9_000_000_000,
  };
}
