import { randomBytes } from "node:crypto";
import { hostname } from "node:os";
import type { Logger } from "../foundation/logger.js";
import type { PostgresStore } from "./postgresStore.js";

/** What changed for this replica in one lease round. */
export interface LeaseChange {
  acquired: string[];
  lost: string[];
}

/** Which clusters this replica watches. */
export interface ClusterLeases {
  /** This replica's id; its notification claims carry it. */
  readonly replicaId: string;
  /** True while this replica may poll the cluster. */
  holds(cluster: string): boolean;
  /**
   * Replicas that may be sending right now (unexpired heartbeats), this one
   * always among them: a pending notification claimed by anyone else was left
   * by a replica that is gone.
   */
  liveReplicas(): Promise<string[]>;
  /** The clusters held now, sorted. */
  held(): string[];
  /** One round: heartbeat, renew, shed or take clusters. Returns what changed. */
  tick(): Promise<LeaseChange>;
  /** Runs `tick` on a timer until `stop` or `halt`. */
  start(): void;
  /** Stops the timer and hands every lease back at once (graceful shutdown: others take over on their next round). */
  stop(): Promise<void>;
}

/** The part of the leases the watcher needs: which clusters are ours, who we are, who else is alive. */
export type WatchLeases = Pick<ClusterLeases, "replicaId" | "holds" | "liveReplicas">;

/**
 * One process with its own store (SQLite): it watches every cluster, nothing
 * to share. Only this process is alive, so every claim of an earlier process is
 * a leftover.
 */
export class LocalClusterLeases implements ClusterLeases {
  constructor(
    private readonly clusters: () => readonly string[],
    readonly replicaId: string = newReplicaId(),
  ) {}
  holds(): boolean {
    return true;
  }
  held(): string[] {
    return [...new Set(this.clusters())].sort();
  }
  async liveReplicas(): Promise<string[]> {
    return [this.replicaId];
  }
  async tick(): Promise<LeaseChange> {
    return { acquired: [], lost: [] };
  }
  start(): void {}
  async stop(): Promise<void> {}
}

export interface PostgresLeaseOptions {
  store: PostgresStore;
  /** Every configured cluster; read at each round so a reloaded config applies. */
  clusters: () => readonly string[];
  /** How long a lease and a heartbeat last without renewal. */
  ttlMs: number;
  /** Time between rounds; a third of the TTL by default, so two rounds can fail before a lease lapses. */
  renewEveryMs?: number;
  /** This replica's id; host name + random suffix by default. */
  replicaId?: string;
  /** The clock written to the lease table; the database's clock when absent (replicas then need no clock sync). */
  now?: () => Date;
  logger?: Logger;
  /** Called after a round that acquired or lost clusters. */
  onChange?: (change: LeaseChange) => void | Promise<void>;
}

/** A replica id that is readable in the lease table and unique per process. */
export function newReplicaId(): string {
  return `${hostname()}-${process.pid}-${randomBytes(3).toString("hex")}`;
}

/**
 * Per-cluster leases in PostgreSQL, so several bot replicas split the watch.
 * Each round a replica renews its heartbeat (live replicas are the ones whose
 * heartbeat has not expired), renews its leases, gives back leases above its
 * fair share (ceil(clusters / live replicas)) and takes free or expired ones
 * up to that share. Taking a lease is one conditional upsert, so two replicas
 * never hold one cluster. A replica that dies stops renewing: after the TTL
 * its leases count as expired and the others take them over.
 */
export class PostgresClusterLeases implements ClusterLeases {
  readonly replicaId: string;
  private readonly renewEveryMs: number;
  private mine = new Set<string>();
  /** Local time until which the leases we renewed last are surely ours (the TTL counted from before the round). */
  private validUntil = 0;
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<LeaseChange> | undefined;
  private startedAt: Date | undefined;

  constructor(private readonly options: PostgresLeaseOptions) {
    this.replicaId = options.replicaId ?? newReplicaId();
    this.renewEveryMs = options.renewEveryMs ?? Math.max(100, Math.floor(options.ttlMs / 3));
  }

  private localNow(): number {
    return this.options.now ? this.options.now().getTime() : Date.now();
  }

  holds(cluster: string): boolean {
    return this.mine.has(cluster) && this.localNow() < this.validUntil;
  }

  held(): string[] {
    return this.localNow() < this.validUntil ? [...this.mine].sort() : [];
  }

  async liveReplicas(): Promise<string[]> {
    const rows = await this.options.store.query<{ replica_id: string }>(
      "list live replicas",
      "SELECT replica_id FROM replica_heartbeats WHERE expires_at > coalesce($1::timestamptz, clock_timestamp())",
      [this.options.now?.() ?? null],
    );
    return [...new Set([this.replicaId, ...rows.map((r) => r.replica_id)])].sort();
  }

  /** One round at a time: a round still running when the timer fires is waited for, not doubled. */
  tick(): Promise<LeaseChange> {
    this.running ??= this.round().finally(() => {
      this.running = undefined;
    });
    return this.running;
  }

  private async round(): Promise<LeaseChange> {
    const { store, ttlMs } = this.options;
    const me = this.replicaId;
    const roundStarted = this.localNow();
    const clusters = [...new Set(this.options.clusters())].sort();
    const [clock] = await store.query<{ now: Date }>(
      "read the clock",
      "SELECT coalesce($1::timestamptz, clock_timestamp()) AS now",
      [this.options.now?.() ?? null],
    );
    const now = clock?.now ?? new Date(roundStarted);
    const until = new Date(now.getTime() + ttlMs);
    this.startedAt ??= now;

    await store.query(
      "renew the replica heartbeat",
      `INSERT INTO replica_heartbeats (replica_id, started_at, expires_at) VALUES ($1, $2, $3)
       ON CONFLICT (replica_id) DO UPDATE SET expires_at = excluded.expires_at`,
      [me, this.startedAt, until],
    );
    // Heartbeats of replicas gone for ten TTLs are only clutter.
    await store.query("forget old heartbeats", "DELETE FROM replica_heartbeats WHERE expires_at < $1", [
      new Date(now.getTime() - 10 * ttlMs),
    ]);
    const [live] = await store.query<{ n: number }>(
      "count live replicas",
      "SELECT count(*)::int AS n FROM replica_heartbeats WHERE expires_at > $1",
      [now],
    );
    const share = Math.ceil(clusters.length / Math.max(1, live?.n ?? 1));

    // Leases on clusters that left the config go back; the rest are renewed (still ours only if still our name).
    await store.query(
      "give back leases of removed clusters",
      "DELETE FROM cluster_leases WHERE holder = $1 AND NOT (cluster = ANY($2::text[]))",
      [me, clusters],
    );
    const renewed = (
      await store.query<{ cluster: string }>(
        "renew cluster leases",
        "UPDATE cluster_leases SET expires_at = $2 WHERE holder = $1 RETURNING cluster",
        [me, until],
      )
    )
      .map((r) => r.cluster)
      .sort();
    let held = renewed;
    if (held.length > share) {
      // Above the fair share (a replica joined): hand the extra ones back for the newcomer to take.
      const extra = held.slice(share);
      await store.query(
        "hand back extra cluster leases",
        "DELETE FROM cluster_leases WHERE holder = $1 AND cluster = ANY($2::text[])",
        [me, extra],
      );
      held = held.slice(0, share);
    } else if (held.length < share) {
      held = [...held, ...(await this.take(clusters, share - held.length, now, until))].sort();
    }

    // Leases that lapsed locally (rounds failed for a TTL) count as lost, so taking them again is news.
    const before = roundStarted < this.validUntil ? this.mine : new Set<string>();
    this.validUntil = roundStarted + ttlMs;
    const next = new Set(held);
    const change = {
      acquired: held.filter((c) => !before.has(c)),
      lost: [...before].filter((c) => !next.has(c)),
    };
    this.mine = next;
    if (change.acquired.length + change.lost.length > 0) {
      this.options.logger?.info({ replica: me, ...change, share, live: live?.n }, "cluster leases changed");
      await this.options.onChange?.(change);
    }
    return change;
  }

  /** Takes up to `wanted` clusters that nobody holds (or whose holder let the lease lapse). */
  private async take(clusters: readonly string[], wanted: number, now: Date, until: Date): Promise<string[]> {
    const { store } = this.options;
    const me = this.replicaId;
    // Each replica tries free clusters in its own hashed order, so replicas starting together rarely collide.
    const free = await store.query<{ cluster: string }>(
      "find free clusters",
      `SELECT c AS cluster FROM unnest($1::text[]) AS c
       WHERE NOT EXISTS (SELECT 1 FROM cluster_leases l WHERE l.cluster = c AND l.expires_at > $2)
       ORDER BY md5($3 || c)`,
      [clusters, now, me],
    );
    const taken: string[] = [];
    for (const { cluster } of free) {
      if (taken.length >= wanted) break;
      const rows = await store.query(
        "take a cluster lease",
        `INSERT INTO cluster_leases (cluster, holder, acquired_at, expires_at) VALUES ($1, $2, $3, $4)
         ON CONFLICT (cluster) DO UPDATE SET holder = excluded.holder, acquired_at = excluded.acquired_at,
           expires_at = excluded.expires_at
         WHERE cluster_leases.expires_at <= $3 OR cluster_leases.holder = excluded.holder
         RETURNING cluster`,
        [cluster, me, now, until],
      );
      if (rows.length > 0) taken.push(cluster);
    }
    return taken;
  }

  start(): void {
    if (this.timer) return;
    const round = () => {
      this.tick().catch((err: unknown) => {
        this.options.logger?.warn(
          { err, replica: this.replicaId },
          "lease round failed; keeping leases until they lapse",
        );
      });
    };
    round();
    this.timer = setInterval(round, this.renewEveryMs);
    this.timer.unref();
  }

  /** Stops renewing without giving anything back: what a crashed replica looks like to the others (tests). */
  halt(): void {
    clearInterval(this.timer);
    this.timer = undefined;
  }

  async stop(): Promise<void> {
    this.halt();
    await this.running?.catch(() => undefined);
    const { store } = this.options;
    await store.query("hand back cluster leases", "DELETE FROM cluster_leases WHERE holder = $1", [this.replicaId]);
    await store.query("end the replica heartbeat", "DELETE FROM replica_heartbeats WHERE replica_id = $1", [
      this.replicaId,
    ]);
    this.mine = new Set();
    this.validUntil = 0;
  }
}

/** Anything that belongs to one cluster: what leases need to know of a watch target, and no more. */
export interface ClusterScoped {
  readonly cluster: string;
}

/** The watch targets of the clusters this replica holds; pass it as the Watcher's `targets`. */
export function leasedTargets<T extends ClusterScoped>(
  targets: () => readonly T[],
  leases: Pick<ClusterLeases, "holds">,
): () => T[] {
  return () => targets().filter((t) => leases.holds(t.cluster));
}
