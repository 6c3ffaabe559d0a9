#!/usr/bin/env node
// The installed command runs the compiled bundle from `npm run build`: no TypeScript compiler at run time.
import { existsSync } from "node:fs";

const bundle = new URL("../dist/scanner-bot.mjs", import.meta.url);
if (existsSync(bundle)) {
  await import(bundle.href);
} else {
  process.stderr.write("scanner-bot: dist/scanner-bot.mjs is missing; run `npm run build` in the checkout first.\n");
  process.exitCode = 1;
}
