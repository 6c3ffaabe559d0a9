import type { AccessSection } from "../config/accessSection.js";
import { BotError, toBotError } from "../foundation/botError.js";
import type { Logger } from "../foundation/logger.js";
import type { Caller } from "./caller.js";

/**
 * Who is in which group, for `group:` principals in `access`. The platforms answer differently, so a
 * directory says which question it can answer: Slack lists a user group's members (one call serves every
 * user), Microsoft Graph checks one user against a list of groups (transitively). The HTTP calls live in
 * the adapters; this module decides when to ask, caches the answers and turns failures into a log line.
 */
export type GroupDirectory =
  | {
      platform: "slack" | "teams";
      kind: "member-lists";
      /** Every member of one group (user ids as the platform puts them on a Caller). */
      membersOf(groupId: string, signal: AbortSignal): Promise<readonly string[]>;
    }
  | {
      platform: "slack" | "teams";
      kind: "membership-check";
      /** Which of `groupIds` the user belongs to, nested groups included. */
      memberOf(userId: string, groupIds: readonly string[], signal: AbortSignal): Promise<readonly string[]>;
    };

export type GroupPlatform = GroupDirectory["platform"];

/** Fills `Caller.groups` for callers of platforms whose groups the access policy names. */
export interface GroupResolver {
  /**
   * The caller with `groups` set to the configured groups they belong to: synchronously when nothing
   * needs asking (no groups configured for the platform, or a fresh cached answer), else a promise.
   * Never rejects: a failed lookup leaves the caller in no group, and the log says why.
   */
  resolve(caller: Caller): Caller | Promise<Caller>;
  /** Lets a started adapter answer for its platform. */
  attach(directory: GroupDirectory): void;
}

export interface GroupResolverOptions {
  section: AccessSection | undefined;
  logger: Logger;
  now?: () => number;
}

/** The groups each platform's principals name in `access`, in the order they first appear. */
export function configuredGroups(section: AccessSection | undefined): Record<GroupPlatform, string[]> {
  const groups: Record<GroupPlatform, string[]> = { slack: [], teams: [] };
  if (!section) return groups;
  for (const principal of [...section.admins, ...section.operators, ...section.viewers]) {
    const list = groups[principal.platform];
    if (principal.group && !list.includes(principal.group)) list.push(principal.group);
  }
  return groups;
}

interface Cached<T> {
  value: T;
  expiresAt: number;
}

/** A small TTL cache that also shares a lookup already under way, so a burst of commands asks once. */
class ExpiringLookups<T> {
  private readonly entries = new Map<string, Cached<T>>();
  private readonly inFlight = new Map<string, Promise<T>>();

  constructor(
    private readonly ttlMs: number,
    private readonly now: () => number,
    private readonly maxEntries: number,
  ) {}

  fresh(key: string): T | undefined {
    const hit = this.entries.get(key);
    if (!hit) return undefined;
    if (hit.expiresAt > this.now()) return hit.value;
    this.entries.delete(key);
    return undefined;
  }

  /** The fresh value, or the one `load` brings (failures are not cached: the next command asks again). */
  get(key: string, load: () => Promise<T>): Promise<T> {
    const hit = this.fresh(key);
    if (hit !== undefined) return Promise.resolve(hit);
    const running = this.inFlight.get(key);
    if (running) return running;
    const loading = load()
      .then((value) => {
        // Oldest first out: a Map iterates in insertion order.
        if (this.entries.size >= this.maxEntries) this.entries.delete(this.entries.keys().next().value as string);
        this.entries.set(key, { value, expiresAt: this.now() + this.ttlMs });
        return value;
      })
      .finally(() => this.inFlight.delete(key));
    this.inFlight.set(key, loading);
    return loading;
  }
}

/** The part of a lookup failure that may be logged: a code and a message the directory wrote, never a token. */
function reasonOf(err: unknown): { code: string; reason: string } {
  if (err instanceof BotError) return { code: err.code, reason: err.userMessage };
  if (err instanceof Error && err.name === "TimeoutError") return { code: "timeout", reason: "the lookup timed out" };
  return { code: toBotError(err).code, reason: "the lookup failed" };
}

/** Settles with `work`, or rejects when `signal` fires first (a directory that ignores its signal cannot hold a command). */
function withinDeadline<T>(signal: AbortSignal, work: (signal: AbortSignal) => Promise<T>): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(signal.reason);
    if (signal.aborted) return onAbort();
    signal.addEventListener("abort", onAbort, { once: true });
    work(signal)
      .then(resolve, reject)
      .finally(() => signal.removeEventListener("abort", onAbort));
  });
}

/** Builds the resolver; with no group principals configured it never asks anyone. */
export function createGroupResolver(options: GroupResolverOptions): GroupResolver {
  const { section, logger } = options;
  const now = options.now ?? Date.now;
  const wanted = configuredGroups(section);
  const ttlMs = section?.groupCacheTtl ?? 300_000;
  const timeoutMs = section?.groupLookupTimeout ?? 2_500;
  const directories = new Map<GroupPlatform, GroupDirectory>();
  const memberLists = new ExpiringLookups<ReadonlySet<string>>(ttlMs, now, 1_000);
  const userChecks = new ExpiringLookups<readonly string[]>(ttlMs, now, 10_000);
  const missingLogged = new Set<GroupPlatform>();

  function failed(caller: Caller, groups: readonly string[], err: unknown): void {
    logger.warn(
      { platform: caller.platform, userId: caller.userId, groups: groups.length, ...reasonOf(err) },
      "access: group lookup failed; the caller keeps only the roles given to them by name",
    );
  }

  /** Members of each wanted group that answered; a group whose lookup failed counts as not joined. */
  async function viaMemberLists(
    directory: Extract<GroupDirectory, { kind: "member-lists" }>,
    caller: Caller,
    groups: readonly string[],
  ): Promise<string[]> {
    const found = await Promise.all(
      groups.map(async (group) => {
        try {
          const members = await memberLists.get(`${directory.platform}\u0000${group}`, async () => {
            const members = await withinDeadline(AbortSignal.timeout(timeoutMs), (signal) =>
              directory.membersOf(group, signal),
            );
            return new Set(members);
          });
          return members.has(caller.userId) ? group : undefined;
        } catch (err) {
          failed(caller, [group], err);
          return undefined;
        }
      }),
    );
    return found.filter((g): g is string => g !== undefined);
  }

  function cachedGroups(caller: Caller, directory: GroupDirectory, groups: readonly string[]): string[] | undefined {
    if (directory.kind === "membership-check") {
      const hit = userChecks.fresh(`${directory.platform}\u0000${caller.userId}`);
      return hit ? [...hit] : undefined;
    }
    const lists = groups.map((g) => memberLists.fresh(`${directory.platform}\u0000${g}`));
    if (lists.some((l) => l === undefined)) return undefined;
    return groups.filter((_, i) => lists[i]?.has(caller.userId));
  }

  async function lookUp(caller: Caller, directory: GroupDirectory, groups: readonly string[]): Promise<Caller> {
    if (directory.kind === "member-lists")
      return { ...caller, groups: await viaMemberLists(directory, caller, groups) };
    try {
      const joined = await userChecks.get(`${directory.platform}\u0000${caller.userId}`, () =>
        withinDeadline(AbortSignal.timeout(timeoutMs), (signal) => directory.memberOf(caller.userId, groups, signal)),
      );
      return { ...caller, groups: groups.filter((g) => joined.includes(g)) };
    } catch (err) {
      failed(caller, groups, err);
      return { ...caller, groups: [] };
    }
  }

  function resolve(caller: Caller): Caller | Promise<Caller> {
    if (caller.platform !== "slack" && caller.platform !== "teams") return caller;
    const groups = wanted[caller.platform];
    if (groups.length === 0 || caller.groups !== undefined) return caller;
    const directory = directories.get(caller.platform);
    if (!directory) {
      if (!missingLogged.has(caller.platform)) {
        missingLogged.add(caller.platform);
        logger.warn(
          { platform: caller.platform },
          "access: groups are configured for this platform but nothing can look them up; group principals match nobody",
        );
      }
      return { ...caller, groups: [] };
    }
    const cached = cachedGroups(caller, directory, groups);
    if (cached) return { ...caller, groups: cached };
    return lookUp(caller, directory, groups);
  }

  return {
    resolve,
    attach(directory) {
      directories.set(directory.platform, directory);
    },
  };
}
