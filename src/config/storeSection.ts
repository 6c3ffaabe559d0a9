import { z } from "zod";
import { durationSchema } from "../foundation/duration.js";

/** Default SQLite file, relative to the bot's working directory. */
export const defaultStorePath = "./data/scanner-bot.db";

/** Unquoted PostgreSQL identifiers only: the schema name ends up in a connection option, never quoted. */
const schemaName = z
  .string()
  .regex(/^[a-z_][a-z0-9_]{0,62}$/, "use lower-case letters, digits and _ (at most 63), starting with a letter or _");

/**
 * The `store` section of the bot's config file. Without `url` the bot keeps
 * its state in one SQLite file (`path`, or `:memory:` for throw-away runs),
 * which suits one bot process. With `url` it uses PostgreSQL, which several
 * bot replicas share: they split the clusters between them with leases.
 */
export const storeSectionSchema = z
  .object({
    /** SQLite database file; its folder is created when missing. `:memory:` keeps nothing. Ignored with `url`. */
    path: z.string().min(1).default(defaultStorePath),
    /** PostgreSQL connection string (`postgres://user:password@host:5432/db`); write `env:NAME` to keep the password out of the file. */
    url: z
      .string()
      .min(1)
      .refine((url) => /^postgres(ql)?:\/\//.test(url), "must start with postgres:// or postgresql://")
      .optional(),
    /** PostgreSQL schema for the bot's tables (created when missing); default `public`. */
    schema: schemaName.optional(),
    /** PostgreSQL connections this replica may hold at once. */
    poolSize: z.number().int().min(1).max(100).default(10),
    /** Cluster leases between replicas (PostgreSQL only): how long a replica's claim lasts without renewal (`30s`). */
    leaseTtl: durationSchema
      .pipe(z.number().min(1000, "must be at least 1s").max(600_000, "must be at most 10m"))
      .default(30_000),
  })
  .strict();
export type StoreSection = z.infer<typeof storeSectionSchema>;
