import { agentMain } from "./agentMain.js";

/**
 * The entry point of dist/scanner-bot-agent.js (see scripts/build/buildTargets.ts). Run by Node, it is
 * the agent's command line; required (the agent server tests against the bundle), it only exports.
 */
export { startAgentServer } from "./agentServer.js";
export { checkDatabase } from "./databaseCheck.js";
export { createScannerSimulator } from "./simulator/scannerSimulator.js";

// `module` exists only in the CommonJS bundle; from source (ESM) this file only exports.
if (typeof module !== "undefined" && require.main === module) {
  void agentMain(process.argv.slice(2), { stdout: process.stdout, stderr: process.stderr }).then((code) => {
    process.exitCode = code;
  });
}
