import { BotError } from "../botError.js";
import { type StoreSection, storeSectionSchema } from "../config/storeSection.js";
import { SqliteStore } from "./sqliteStore.js";
import type { Store } from "./store.js";

/** Opens the store the config asks for: SQLite today; `url` (PostgreSQL) is refused with a clear message. */
export function openStore(section: Partial<StoreSection> = {}): Store {
  const config = storeSectionSchema.parse(section);
  if (config.url !== undefined) {
    throw new BotError(
      "config_invalid",
      "store.url (PostgreSQL) is not supported yet: remove it to use the SQLite file in store.path.",
    );
  }
  return new SqliteStore(config.path);
}
