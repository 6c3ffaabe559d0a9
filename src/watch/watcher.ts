import PQueue from "p-queue";
import { type WatchSection, type WatchSettings, watchSectionSchema, watchSettingsFor } from "../config/watchSection.js";
import type { Delivery, Platform } from "../delivery/delivery.js";
import type { NodeOutcome } from "../fleet/fleetClient.js";
import type { Logger } from "../foundation/logger.js";
import { LocalClusterLeases, type WatchLeases } from "../store/leases.js";
import type { Incident, Store } from "../store/store.js";
import type { ErrorsReport, LogEntry, ReportDigest } from "../wire/agentApi.js";
import { IncidentBook } from "./incidents.js";
import { assessNode, type NodeAssessment } from "./nodeAssessment.js";
import { type DeliveryProblem, NotificationSender } from "./notificationSender.js";
import { appendObservation, type Observation, observe, parseHistory, type StatusOutcome } from "./observation.js";
import { incidentCleared } from "./rules/clearance.js";
import type { RuleInput } from "./rules/finding.js";
import { finishedRule } from "./rules/finishedRule.js";
import { type ProgressSource, ScanCards } from "./scanCards.js";

/** One node the watcher polls, and the cluster it belongs to. */
export interface WatchTarget {
  node: string;
  cluster: string;
}

/** What the watcher needs from the fleet: the fleet client's `status` (and, optionally, `errors`) fit. */
export interface WatchProbe {
  status(node: string): Promise<StatusOutcome>;
  errors?(
    node: string,
  ): Promise<{ ok: true; value: ErrorsReport } | { ok: false; error: { code: string; userMessage: string } }>;
  /** The last cycle's report digest of a node, for the "scan finished" message; without it the message has totals only. */
  report?(node: string): Promise<NodeOutcome<ReportDigest>>;
}

export interface WatcherOptions {
  store: Store;
  probe: WatchProbe;
  /** Nodes to poll; a function so config reloads are picked up at the next cycle. */
  targets: readonly WatchTarget[] | (() => readonly WatchTarget[]);
  /** The parsed `watch` config section; defaults when absent. */
  section?: WatchSection;
  deliveries: Partial<Record<Platform, Delivery>>;
  logger: Logger;
  now?: () => Date;
  /** Polls in flight at once across the fleet. */
  concurrency?: number;
  /** Least time between two messages to one conversation. */
  channelIntervalMs?: number;
  /** Waits before retrying a rate-limited send (tests pass a fast one). */
  sleep?: (ms: number) => Promise<void>;
  /**
   * The replica's leases: whose messages it sends and settles, and who else is
   * alive. Absent: one process that holds every cluster (SQLite).
   */
  leases?: WatchLeases;
  /**
   * The progress model the polls feed (the fleet client's ScanProgress). With it, each watching conversation
   * gets a live scan card per cluster; without it, no card.
   */
  progress?: ProgressSource;
  /** Card edits a minute per platform across all cards (see ScanCards). */
  cardEditsPerMinute?: number;
}

/** The watcher as commands see it: assessments for `status`, and a hook for the bot's own stop-scan. */
export interface WatchControl {
  /** Every polled node's current assessment, in target order. */
  assessments(): NodeAssessment[];
  assessment(node: string): NodeAssessment | undefined;
  settingsFor(cluster: string): WatchSettings;
  /** Records a stop the bot itself sent, so the stop's ripple through the nodes raises nothing. */
  noteStop(cluster: string, at?: Date): void;
  /** Conversations (bot or webhook) whose latest alert could not be delivered. */
  deliveryProblems(): DeliveryProblem[];
}

/**
 * Polls every agent on each cluster's schedule, keeps a short run-length
 * history per node (saved in the store, so a restart keeps it), runs the rules
 * and hands findings to the incident book, which sends the messages.
 */
export class Watcher implements WatchControl {
  private readonly section: WatchSection;
  private readonly now: () => Date;
  private readonly histories = new Map<string, { cluster: string; entries: Observation[] }>();
  private readonly recentErrors = new Map<string, LogEntry[]>();
  private readonly lastStop = new Map<string, Date>();
  private readonly sender: NotificationSender;
  private readonly book: IncidentBook;
  private readonly timers = new Map<string, NodeJS.Timeout>();
  private readonly cycles = new Set<Promise<void>>();
  /** Every poll of every cluster goes through this one queue, so `concurrency` bounds the whole fleet. */
  private readonly polls: PQueue;
  private notifying: Promise<void> | undefined;
  /** A poll asked for a notify pass while one was running. */
  private notifyAgain = false;
  private loaded: Promise<void> | undefined;
  private stopped = false;
  private readonly leases: WatchLeases;
  /** Clusters just taken over whose leftover claims are being settled; nothing is sent for them until then. */
  private readonly adopting = new Map<string, number>();
  /** The live scan cards; undefined without a progress model. */
  readonly cards: ScanCards | undefined;

  constructor(private readonly options: WatcherOptions) {
    this.section = options.section ?? watchSectionSchema.parse({});
    this.now = options.now ?? (() => new Date());
    this.polls = new PQueue({ concurrency: options.concurrency ?? 32 });
    this.leases = options.leases ?? new LocalClusterLeases(() => this.targets().map((t) => t.cluster));
    this.sender = new NotificationSender({
      store: options.store,
      deliveries: options.deliveries,
      logger: options.logger,
      now: this.now,
      replicaId: this.leases.replicaId,
      ...(options.channelIntervalMs === undefined ? {} : { channelIntervalMs: options.channelIntervalMs }),
      ...(options.sleep ? { sleep: options.sleep } : {}),
    });
    this.cards = options.progress
      ? new ScanCards({
          store: options.store,
          sender: this.sender,
          progress: options.progress,
          logger: options.logger,
          now: this.now,
          ...(options.cardEditsPerMinute === undefined ? {} : { editsPerMinute: options.cardEditsPerMinute }),
        })
      : undefined;
    this.book = new IncidentBook({
      store: options.store,
      sender: this.sender,
      settingsFor: (cluster) => this.settingsFor(cluster),
      now: this.now,
      logger: options.logger,
      leases: this.leases,
      sendsFor: (cluster) => this.sendsForCluster(cluster),
    });
  }

  /** Whether this replica sends (and edits) for `cluster` now: it holds the lease and is not settling a takeover. */
  private sendsForCluster(cluster: string): boolean {
    return this.leases.holds(cluster) && !this.adopting.has(cluster);
  }

  settingsFor(cluster: string): WatchSettings {
    return watchSettingsFor(this.section, cluster);
  }

  private targets(): readonly WatchTarget[] {
    const t = this.options.targets;
    return typeof t === "function" ? t() : t;
  }

  /**
   * Reads saved histories and settles the messages a gone replica (or a
   * previous run of this process) left half-sent in the clusters held now. Runs once.
   */
  load(): Promise<void> {
    this.loaded ??= (async () => {
      for (const record of await this.options.store.loadHistories()) {
        this.histories.set(record.node, { cluster: record.cluster, entries: parseHistory(record.entries) });
      }
      await this.book.settleOrphans();
    })();
    return this.loaded;
  }

  /**
   * Starts polling: every cluster at once, then each on its own interval.
   * Called again, it starts only clusters that appeared since (a replica took a lease over).
   */
  start(): void {
    this.stopped = false;
    const clusters = [...new Set(this.targets().map((t) => t.cluster))];
    for (const cluster of clusters) if (!this.timers.has(cluster)) this.schedule(cluster, 0);
  }

  /**
   * Takes over clusters another replica polled: their nodes' histories are read
   * again from the store (the holder saved them every cycle), so an old history
   * from when this replica last held them cannot pass for progress; and the
   * messages the previous holder claimed but never finished are settled before
   * this replica sends anything for those clusters (call it as soon as the
   * lease is taken: until it returns, the clusters' messages wait).
   */
  async adoptClusters(clusters: readonly string[]): Promise<void> {
    const wanted = new Set(clusters);
    for (const cluster of wanted) this.adopting.set(cluster, (this.adopting.get(cluster) ?? 0) + 1);
    try {
      // The first load just read every history and settled every held cluster: nothing to do again.
      const fresh = this.loaded === undefined;
      await this.load();
      if (fresh) return;
      for (const [node, history] of this.histories) {
        if (wanted.has(history.cluster)) {
          this.histories.delete(node);
          this.recentErrors.delete(node);
        }
      }
      for (const record of await this.options.store.loadHistories()) {
        if (wanted.has(record.cluster)) {
          this.histories.set(record.node, { cluster: record.cluster, entries: parseHistory(record.entries) });
        }
      }
      await this.book.settleOrphans([...wanted]);
    } finally {
      for (const cluster of wanted) {
        const left = (this.adopting.get(cluster) ?? 1) - 1;
        if (left > 0) this.adopting.set(cluster, left);
        else this.adopting.delete(cluster);
      }
    }
  }

  private schedule(cluster: string, delay: number): void {
    if (this.stopped) return;
    const timer = setTimeout(() => {
      const cycle = this.pollCluster(cluster)
        .catch((err) => this.options.logger.error({ err, cluster }, "watch cycle failed"))
        .finally(() => {
          this.cycles.delete(cycle);
          this.schedule(cluster, this.settingsFor(cluster).pollInterval);
        });
      this.cycles.add(cycle);
    }, delay);
    timer.unref?.();
    this.timers.set(cluster, timer);
  }

  /** Stops polling and waits for the cycle and the sends in flight. */
  async stop(): Promise<void> {
    this.stopped = true;
    for (const timer of this.timers.values()) clearTimeout(timer);
    this.timers.clear();
    await Promise.all([...this.cycles]);
    await this.idle();
  }

  /** Resolves when no message is being sent. */
  async idle(): Promise<void> {
    await this.notifying;
    await this.sender.idle();
  }

  /** One poll of every cluster (tests and the benchmark drive the watcher this way). */
  async pollAll(): Promise<void> {
    const clusters = [...new Set(this.targets().map((t) => t.cluster))];
    await Promise.all(clusters.map((c) => this.pollCluster(c, false)));
    this.kickNotify();
  }

  /** Polls one cluster's nodes, updates their histories, runs the rules, then queues what is due to send. */
  async pollCluster(cluster: string, notify = true): Promise<void> {
    await this.load();
    // Claims left by a holder that handed the cluster back alive and died later are found here, not at takeover.
    if (this.leases.holds(cluster)) await this.book.settleOrphans([cluster]);
    const settings = this.settingsFor(cluster);
    const nodes = this.targets().filter((t) => t.cluster === cluster);
    const wasScanning = new Map(nodes.map((t) => [t.node, this.histories.get(t.node)?.entries.at(-1)?.scanning]));
    await this.polls.addAll(nodes.map((t) => () => this.pollNode(t, settings)));

    const latest = nodes.map((t) => this.histories.get(t.node)?.entries.at(-1));
    const scanningNow = this.scanningCounts(nodes);
    // A node that stops scanning opens the stop window: a stop needs up to stopGrace to reach every node.
    if (nodes.some((t, i) => wasScanning.get(t.node) && latest[i]?.reachable && !latest[i]?.scanning)) {
      const previous = this.lastStop.get(cluster);
      if (!previous || this.now().getTime() - previous.getTime() > settings.stopGrace) {
        this.lastStop.set(cluster, this.now());
      }
    }

    const open = await this.options.store.listIncidents({ open: true });
    for (const t of nodes) {
      const input = this.ruleInput(t, settings, scanningNow);
      const findings = assessNode(input).findings;
      await this.book.reconcile(
        t.node,
        cluster,
        findings,
        open.filter((i: Incident) => i.node === t.node),
        (kind) => incidentCleared(kind, input),
      );
    }
    // After the rules: the card is posted before this poll's alerts, so they can go in its thread.
    if (this.cards && this.sendsForCluster(cluster))
      await this.cards.refresh(
        cluster,
        nodes.map((t) => t.node),
      );
    const finished = finishedRule(
      cluster,
      nodes.map((t) => this.histories.get(t.node)?.entries ?? []),
    );
    if (finished) {
      const report = this.options.probe.report?.bind(this.options.probe);
      // Read only when a subscription wants the message: a large report takes a while to read.
      const digest = report ? () => Promise.all(nodes.map((t) => report(t.node))) : undefined;
      await this.book.announceFinished(finished, digest);
    }

    await this.options.store.saveHistories(
      nodes.flatMap((t) => {
        const h = this.histories.get(t.node);
        return h ? [{ node: t.node, cluster, entries: h.entries, updatedAt: this.now().toISOString() }] : [];
      }),
    );
    if (notify) this.kickNotify();
  }

  /**
   * Starts a notify pass, or, while one runs, asks for another right after it: a running pass has already read
   * what was due when it began, and an alert due since then must not wait for the next poll.
   */
  private kickNotify(): void {
    if (this.notifying) {
      this.notifyAgain = true;
      return;
    }
    this.notifying = (async () => {
      do {
        this.notifyAgain = false;
        await this.book.notify().catch((err) => this.options.logger.error({ err }, "sending notifications failed"));
      } while (this.notifyAgain);
    })().finally(() => {
      this.notifying = undefined;
    });
  }

  private async pollNode(target: WatchTarget, settings: WatchSettings): Promise<void> {
    const { probe } = this.options;
    let outcome: StatusOutcome;
    try {
      outcome = await probe.status(target.node);
    } catch (err) {
      outcome = {
        ok: false,
        error: { code: "internal", userMessage: err instanceof Error ? err.message : String(err) },
      };
    }
    const entry = observe(outcome, this.now());
    const current = this.histories.get(target.node)?.entries ?? [];
    this.histories.set(target.node, {
      cluster: target.cluster,
      entries: appendObservation(current, entry, settings.historySize),
    });
    if (outcome.ok && probe.errors) {
      try {
        const errors = await probe.errors(target.node);
        if (errors.ok) this.recentErrors.set(target.node, errors.value.entries);
      } catch (err) {
        this.options.logger.debug({ err, node: target.node }, "reading errors failed");
      }
    }
  }

  /** How many nodes of each cluster scan right now. */
  private scanningCounts(targets: readonly WatchTarget[]): Map<string, number> {
    const counts = new Map<string, number>();
    for (const t of targets) {
      if (this.histories.get(t.node)?.entries.at(-1)?.scanning) counts.set(t.cluster, (counts.get(t.cluster) ?? 0) + 1);
    }
    return counts;
  }

  private ruleInput(target: WatchTarget, settings: WatchSettings, scanningNow: Map<string, number>): RuleInput {
    const stop = this.lastStop.get(target.cluster);
    const history = this.histories.get(target.node)?.entries ?? [];
    const self = history.at(-1)?.scanning ? 1 : 0;
    return {
      node: target.node,
      cluster: target.cluster,
      history,
      now: this.now(),
      settings,
      clusterScanning: (scanningNow.get(target.cluster) ?? 0) - self > 0,
      ...(stop ? { lastStopAt: stop } : {}),
      recentErrors: this.recentErrors.get(target.node) ?? [],
    };
  }

  assessments(): NodeAssessment[] {
    const targets = this.targets();
    const scanning = this.scanningCounts(targets);
    return targets.map((t) => assessNode(this.ruleInput(t, this.settingsFor(t.cluster), scanning)));
  }

  assessment(node: string): NodeAssessment | undefined {
    const wanted = node.toLowerCase();
    return this.assessments().find((a) => a.node.toLowerCase() === wanted);
  }

  noteStop(cluster: string, at: Date = this.now()): void {
    this.lastStop.set(cluster, at);
  }

  deliveryProblems(): DeliveryProblem[] {
    return this.sender.deliveryProblems();
  }
}
