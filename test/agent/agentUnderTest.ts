import { createRequire } from "node:module";
import { resolve } from "node:path";

/**
 * The agent code the server suites run against: the sources, or with SCANNER_BOT_AGENT_BUNDLE=<file>
 * the built one-file agent (CI runs them both ways, so the bundle is proven to behave the same).
 */
type AgentModule = typeof import("../../agent/agentBundleEntry.js");

const bundle = process.env.SCANNER_BOT_AGENT_BUNDLE;

export const agentUnderTest: AgentModule & { origin: string } = bundle
  ? { ...(createRequire(import.meta.url)(resolve(bundle)) as AgentModule), origin: `bundle ${bundle}` }
  : { ...(await import("../../agent/agentBundleEntry.js")), origin: "sources" };
