import { join } from "node:path";
import { createLogger, type Logger } from "../src/foundation/logger.js";
import { actionJournalFileName } from "./actionJournal.js";
import { type AgentConfig, enabledActions, loadAgentConfig } from "./agentConfig.js";
import { type RunningAgentServer, startAgentServer } from "./agentServer.js";
import { createPowershellBackend } from "./powershell/powershellBackend.js";
import { createProbeRunner } from "./powershell/probeRunner.js";
import type { ScannerBackend } from "./scannerBackend.js";
import { createScannerSimulator } from "./simulator/scannerSimulator.js";

/**
 * Turns a loaded agent config into a running agent: the backend it names,
 * behind the signed HTTP(S) server. Deliberately imports nothing of the bot
 * or the chat platforms, so a scanner node runs only what it needs.
 */

/** The backend a config asks for. */
export function backendFromConfig(config: AgentConfig, options: { now?: () => Date } = {}): ScannerBackend {
  const backend = config.backend;
  if (backend.kind === "simulator") {
    return createScannerSimulator({
      nodeName: config.nodeName,
      cluster: backend.cluster,
      scenario: backend.scenario,
      timeline: backend.timeline,
      ...(backend.clusterNodes ? { clusterNodes: backend.clusterNodes } : {}),
      ...(backend.repositories ? { repositories: backend.repositories } : {}),
      ...(backend.seed === undefined ? {} : { seed: backend.seed }),
      ...(backend.filesPerMinute === undefined ? {} : { filesPerMinute: backend.filesPerMinute }),
      ...(backend.moduleGeneration ? { moduleGeneration: backend.moduleGeneration } : {}),
      ...(options.now ? { now: options.now } : {}),
    });
  }
  const { auth, ...database } = backend.database;
  return createPowershellBackend({
    nodeName: config.nodeName,
    runner: createProbeRunner(backend.executable ? { executable: backend.executable } : {}),
    timeoutMs: backend.timeout,
    diagnosticsTimeoutMs: backend.diagnosticsTimeout,
    maxOutputBytes: backend.maxOutputBytes,
    ...(backend.logPath ? { logPath: backend.logPath } : {}),
    ...(backend.reportPath ? { reportPath: backend.reportPath } : {}),
    eventLog: backend.eventLog,
    urls: backend.urls,
    database: {
      ...database,
      timeoutMs: database.timeout,
      ...(auth ? { auth: auth.kind === "ntlm" ? { kind: "ntlm", domain: auth.domain, user: auth.user } : auth } : {}),
      ...(config.databasePassword === undefined ? {} : { password: config.databasePassword }),
    },
    exportDirectory: backend.exportDirectory,
    ...(options.now ? { now: options.now } : {}),
  });
}

/** Starts the agent a config describes. */
export async function startAgentFromConfig(
  config: AgentConfig,
  options: { logger: Logger; now?: () => Date },
): Promise<RunningAgentServer> {
  const backend = backendFromConfig(config, options.now ? { now: options.now } : {});
  const server = await startAgentServer({
    backend,
    secrets: config.secrets,
    host: config.listen.host,
    port: config.listen.port,
    limits: {
      headersTimeout: config.listen.headersTimeout,
      requestTimeout: config.listen.requestTimeout,
      maxConnections: config.listen.maxConnections,
    },
    ...(config.listen.tls ? { tls: config.listen.tls } : {}),
    actionsEnabled: enabledActions(config),
    logger: options.logger,
    maxBodyBytes: config.maxBodyBytes,
    journalPath: join(config.dataDirectory, actionJournalFileName),
    ...(options.now ? { now: options.now } : {}),
  });
  options.logger.info(
    {
      node: config.nodeName,
      backend: config.backend.kind,
      url: server.url,
      actionsEnabled: enabledActions(config),
      secretsFrom: config.secretOrigins,
      dataDirectory: config.dataDirectory,
    },
    "scanner agent started",
  );
  return server;
}

/**
 * `scanner-bot agent --config <file>`: runs until SIGINT/SIGTERM; config problems are listed, never thrown.
 * With `check`, validates the config (secrets and TLS files included) and exits.
 */
export async function runAgentCommand(
  file: string,
  io: { stdout: NodeJS.WritableStream; stderr: NodeJS.WritableStream },
  options: { check?: boolean } = {},
): Promise<number> {
  const loaded = await loadAgentConfig(file);
  if (!loaded.ok) {
    const count = loaded.problems.length === 1 ? "1 problem" : `${loaded.problems.length} problems`;
    io.stderr.write(`${file} has ${count}:\n${loaded.problems.map((p) => `  - ${p}\n`).join("")}`);
    return 1;
  }
  if (options.check) {
    const c = loaded.config;
    const actions = enabledActions(c);
    io.stdout.write(
      `${file} is valid: node ${c.nodeName}, ${c.backend.kind} backend, ${c.listen.tls ? "https" : "http"} on ${c.listen.host}:${c.listen.port}, ` +
        `${c.secrets.length} secret(s) from ${c.secretOrigins.join(", ")}, actions: ${actions.length ? actions.join(", ") : "none"}, data in ${c.dataDirectory}\n`,
    );
    return 0;
  }
  const logger = createLogger({ name: "scanner-agent", level: loaded.config.log.level });
  let server: RunningAgentServer;
  try {
    server = await startAgentFromConfig(loaded.config, { logger });
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    const { host, port } = loaded.config.listen;
    const reason =
      code === "EADDRINUSE"
        ? `port ${port} on ${host} is already in use`
        : code === "EACCES"
          ? `no permission to listen on ${host}:${port}`
          : err instanceof Error
            ? err.message
            : String(err);
    io.stderr.write(`scanner-bot agent: cannot start: ${reason}\n`);
    return 1;
  }
  await new Promise<void>((resolve) => {
    const stop = () => resolve();
    process.once("SIGINT", stop);
    process.once("SIGTERM", stop);
  });
  logger.info("scanner agent stopping");
  await server.close();
  return 0;
}
