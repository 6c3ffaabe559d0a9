import { z } from "zod";

/** Default SQLite file, relative to the bot's working directory. */
export const defaultStorePath = "./data/scanner-bot.db";

/**
 * The `store` section of the bot's config file. Today only SQLite (`path`, or
 * `:memory:` for throw-away runs); `url` is reserved for the PostgreSQL backend
 * that follows, so a config written now keeps working then.
 */
export const storeSectionSchema = z
  .object({
    /** SQLite database file; its folder is created when missing. `:memory:` keeps nothing. */
    path: z.string().min(1).default(defaultStorePath),
    /** Reserved for a PostgreSQL connection string (`postgres://…`, or `env:NAME`). Not supported yet. */
    url: z.string().min(1).optional(),
  })
  .strict();
export type StoreSection = z.infer<typeof storeSectionSchema>;
