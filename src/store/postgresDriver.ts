import { createRequire } from "node:module";
import type pg from "pg";

let driver: typeof pg | undefined;

/**
 * The `pg` package, loaded the first time a PostgreSQL store is opened: it costs a console or a SQLite
 * deployment ~70 ms of start-up to load a driver it never uses.
 */
export function postgresDriver(): typeof pg {
  driver ??= createRequire(import.meta.url)("pg") as typeof pg;
  return driver;
}
