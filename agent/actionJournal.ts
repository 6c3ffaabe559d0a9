import { randomBytes } from "node:crypto";
import { mkdir, open, readFile, rename, rm } from "node:fs/promises";
import { dirname } from "node:path";
import { z } from "zod";
import { BotError } from "../src/foundation/botError.js";
import type { Logger } from "../src/foundation/logger.js";
import { type GuardedAction, guardedActionSchema } from "../src/wire/agentApi.js";

/**
 * What the agent must remember across a restart so a signed action request runs at most once: the nonces of
 * recent action requests (a captured request replayed after the restart is refused like any replay) and the
 * requestIds of actions it started or finished (the bot retrying with a fresh signature gets the first
 * outcome, or "outcome unknown" for an action the agent died in). One small JSON file, rewritten whole through
 * a temporary file and a rename, so a crash leaves the old file or the new one, never half of one.
 */

/** Default file name inside the agent's data directory. */
export const actionJournalFileName = "action-journal.json";

/** Bounds that keep the file small (a few hundred KB at most) however busy the node is. */
const maxNonces = 5_000;
const maxActions = 500;
const maxAnswerBytes = 4_096;

const answerSchema = z.object({ status: z.number().int(), body: z.unknown() });

const journalFileSchema = z.object({
  version: z.literal(1),
  nonces: z.array(z.object({ nonce: z.string().min(1).max(128), until: z.number().int() })).max(maxNonces),
  actions: z
    .array(
      z.object({
        requestId: z.string().min(1).max(128),
        action: guardedActionSchema,
        at: z.string(),
        state: z.enum(["running", "done"]),
        answer: answerSchema.optional(),
      }),
    )
    .max(maxActions),
});
type JournalFile = z.infer<typeof journalFileSchema>;
type JournalAction = JournalFile["actions"][number];

/** An answer the agent gave (status and JSON body), as remembered for a retry. */
export type RememberedAnswer = z.infer<typeof answerSchema>;

/** An action the agent started before this run: its outcome if it finished, else nothing. */
export interface EarlierAction {
  action: GuardedAction;
  answer?: RememberedAnswer;
}

export class ActionJournal {
  private readonly nonces = new Map<string, number>();
  private readonly actions = new Map<string, JournalAction & { earlier: boolean }>();
  private writing: Promise<void> = Promise.resolve();

  private constructor(
    readonly path: string,
    private readonly now: () => Date,
    /** Set when the file could not be read back: action requests signed before this second are refused. */
    readonly notBefore: number | undefined,
  ) {}

  /**
   * Reads the journal (none yet: an empty one). A file that cannot be parsed is moved aside and logged; the
   * journal then starts empty and refuses action requests signed before now, since any of them could be a
   * replay of one it has forgotten. Throws a clear error when the directory cannot be created or read.
   */
  static async open(path: string, options: { now: () => Date; logger: Logger }): Promise<ActionJournal> {
    try {
      await mkdir(dirname(path), { recursive: true });
    } catch (err) {
      throw new BotError(
        "config_invalid",
        `cannot create the agent's data directory ${dirname(path)} (${codeOf(err)})`,
        {
          cause: err,
        },
      );
    }
    let text: string | undefined;
    try {
      text = await readFile(path, "utf8");
    } catch (err) {
      if (codeOf(err) !== "ENOENT") {
        throw new BotError("config_invalid", `cannot read the action journal ${path} (${codeOf(err)})`, { cause: err });
      }
    }
    const startedAt = Math.floor(options.now().getTime() / 1000);
    if (text === undefined) return new ActionJournal(path, options.now, undefined);
    const parsed = parseJournal(text);
    if (!parsed.ok) {
      const aside = `${path}.unreadable-${startedAt}`;
      await rename(path, aside).catch(() => undefined);
      options.logger.error(
        { journal: path, movedTo: aside, problem: parsed.problem, refusingSignedBefore: new Date(startedAt * 1000) },
        "action journal unreadable: starting with an empty one and refusing action requests signed before this start (they could be replays)",
      );
      return new ActionJournal(path, options.now, startedAt);
    }
    const journal = new ActionJournal(path, options.now, undefined);
    for (const { nonce, until } of parsed.file.nonces) if (until > startedAt) journal.nonces.set(nonce, until);
    for (const entry of parsed.file.actions) journal.actions.set(entry.requestId, { ...entry, earlier: true });
    return journal;
  }

  /** Nonces of action requests still inside their signature window, to prime the replay guard. */
  liveNonces(): string[] {
    return [...this.nonces.keys()];
  }

  /** The action a previous run of the agent started under this requestId, if any. */
  earlier(requestId: string): EarlierAction | undefined {
    const entry = this.actions.get(requestId);
    if (!entry?.earlier) return undefined;
    return { action: entry.action, ...(entry.state === "done" && entry.answer ? { answer: entry.answer } : {}) };
  }

  /** Records, durably, that an action is about to run; throws when that cannot be written (then do not run it). */
  async begin(request: { requestId: string; action: GuardedAction }, nonce: string, nonceUntil: number): Promise<void> {
    this.nonces.delete(nonce);
    this.nonces.set(nonce, nonceUntil);
    this.actions.delete(request.requestId);
    this.actions.set(request.requestId, {
      requestId: request.requestId,
      action: request.action,
      at: this.now().toISOString(),
      state: "running",
      earlier: false,
    });
    try {
      await this.persist();
    } catch (err) {
      // Not recorded, so not run: nothing to remember (a later write must not say it was running).
      this.actions.delete(request.requestId);
      throw err;
    }
  }

  /**
   * Records how an action ended: a 200 is kept so a retry gets it again; anything else is forgotten, because
   * it says the action did not run (or failed in a way a retry may try again).
   */
  async finish(requestId: string, answer: RememberedAnswer): Promise<void> {
    const entry = this.actions.get(requestId);
    if (!entry) return;
    if (answer.status === 200 && Buffer.byteLength(JSON.stringify(answer.body)) <= maxAnswerBytes) {
      this.actions.set(requestId, { ...entry, state: "done", answer });
    } else if (answer.status === 200) {
      // Too big to keep: a retry learns the action ran, without the details.
      this.actions.set(requestId, { ...entry, state: "done" });
    } else {
      this.actions.delete(requestId);
    }
    await this.persist();
  }

  /** Writes the whole journal after the current write (if any); one write at a time, each with every change so far. */
  private persist(): Promise<void> {
    const next = this.writing.then(() => this.write());
    this.writing = next.catch(() => undefined);
    return next;
  }

  private async write(): Promise<void> {
    const nowSeconds = Math.floor(this.now().getTime() / 1000);
    for (const [nonce, until] of this.nonces) if (until <= nowSeconds) this.nonces.delete(nonce);
    // Maps keep insertion order, so the first entries are the oldest.
    while (this.nonces.size > maxNonces) this.nonces.delete(this.nonces.keys().next().value as string);
    while (this.actions.size > maxActions) this.actions.delete(this.actions.keys().next().value as string);
    const file: JournalFile = {
      version: 1,
      nonces: [...this.nonces].map(([nonce, until]) => ({ nonce, until })),
      actions: [...this.actions.values()].map(({ earlier: _earlier, ...entry }) => entry),
    };
    const temporary = `${this.path}.${randomBytes(4).toString("hex")}.tmp`;
    try {
      const handle = await open(temporary, "w", 0o600);
      try {
        await handle.writeFile(JSON.stringify(file));
        // On disk before the rename: after a power cut the journal is the old one or this one.
        await handle.sync();
      } finally {
        await handle.close();
      }
      await rename(temporary, this.path);
    } catch (err) {
      await rm(temporary, { force: true }).catch(() => undefined);
      throw new BotError("internal", `cannot write the action journal ${this.path} (${codeOf(err)})`, { cause: err });
    }
  }
}

function parseJournal(text: string): { ok: true; file: JournalFile } | { ok: false; problem: string } {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    return { ok: false, problem: "not JSON" };
  }
  const parsed = journalFileSchema.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    return { ok: false, problem: `${issue?.path.join(".") || "file"}: ${issue?.message ?? "unexpected shape"}` };
  }
  return { ok: true, file: parsed.data };
}

function codeOf(err: unknown): string {
  return (err as NodeJS.ErrnoException).code ?? "unreadable";
}
