import { agentMain } from "./agentMain.js";

// The entry point of dist/scanner-bot-agent.js (see scripts/build/buildTargets.ts); CommonJS, so no top-level await.
void agentMain(process.argv.slice(2), { stdout: process.stdout, stderr: process.stderr }).then((code) => {
  process.exitCode = code;
});
