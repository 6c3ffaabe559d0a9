/** Build entry of `dist/scanner-bot.cjs`: the bundled bot next to it, through the code cache. */
import { join } from "node:path";
import { runWithCodeCache } from "./codeCacheLoader.js";

runWithCodeCache(join(__dirname, "scanner-bot-code.cjs"));
