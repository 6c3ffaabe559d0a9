import { type StoreSection, storeSectionSchema } from "../config/storeSection.js";
import { PostgresStore } from "./postgresStore.js";
import { SqliteStore } from "./sqliteStore.js";
import type { Store } from "./store.js";

/**
 * Opens the store the config asks for: PostgreSQL when `url` is set (shared
 * by several replicas; its schema is migrated on first use), else the SQLite
 * file in `path`.
 */
export function openStore(section: Partial<StoreSection> = {}): Store {
  const config = storeSectionSchema.parse(section);
  if (config.url !== undefined) {
    return new PostgresStore({
      url: config.url,
      poolSize: config.poolSize,
      ...(config.schema ? { schema: config.schema } : {}),
    });
  }
  return new SqliteStore(config.path);
}

/** Opens the store and makes sure it answers (PostgreSQL reachable, schema migrated), so startup fails early and clearly. */
export async function openReadyStore(section: Partial<StoreSection> = {}): Promise<Store> {
  const store = openStore(section);
  if (store instanceof PostgresStore) {
    try {
      await store.ready();
    } catch (err) {
      await store.close();
      throw err;
    }
  }
  return store;
}
