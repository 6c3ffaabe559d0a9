#!/usr/bin/env node
// The installed command runs the compiled bundle from `npm run build`: no TypeScript compiler at run time.
// In a development checkout that has not been built yet it runs the sources through tsx instead, so a fresh
// clone's `npm test` and `npx scanner-bot` work before any build; an install without dev dependencies and
// without dist/ is told to build.
import { existsSync } from "node:fs";
import { createRequire } from "node:module";
import { fileURLToPath } from "node:url";

// The build's entry runs the bundled bot through a V8 code cache (src/runtime/codeCacheLoader.ts).
const entry = fileURLToPath(new URL("../dist/scanner-bot.cjs", import.meta.url));
const sources = new URL("../src/cli.ts", import.meta.url);
if (existsSync(entry)) {
  createRequire(import.meta.url)(entry);
} else {
  let register;
  try {
    ({ register } = await import("tsx/esm/api"));
  } catch {
    register = undefined;
  }
  if (register && existsSync(sources)) {
    register();
    await import(sources.href);
  } else {
    process.stderr.write("scanner-bot: dist/scanner-bot.cjs is missing; run `npm run build` in the checkout first.\n");
    process.exitCode = 1;
  }
}
