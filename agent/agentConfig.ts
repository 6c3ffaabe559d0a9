import { readFile } from "node:fs/promises";
import { hostname } from "node:os";
import { dirname, isAbsolute, resolve } from "node:path";
import { parseDocument } from "yaml";
import { z } from "zod";
import { describeConfigIssues, formatConfigPath } from "../src/foundation/configIssues.js";
import { durationSchema } from "../src/foundation/duration.js";
import { isSecretReference, secretReferenceAdvice } from "../src/foundation/secretReference.js";
import { guardedActionSchema } from "../src/wire/agentApi.js";
import { simulatorScenarios } from "./simulator/scenarioCatalog.js";

/**
 * The node agent's YAML config. Secrets are never written in it: each one is
 * `env:NAME` (an environment variable) or `file:PATH` (a file only the agent's
 * account can read). Relative paths are taken from the config file's folder.
 */

const secretReferenceSchema = z
  .string()
  .refine((value) => isSecretReference(value, { files: true }), secretReferenceAdvice({ files: true }));

const scenarioSchema = z.enum(simulatorScenarios);

const simulatorBackendSchema = z
  .object({
    kind: z.literal("simulator"),
    cluster: z.string().min(1).default("contoso-lab"),
    clusterNodes: z.array(z.string().min(1)).optional(),
    repositories: z.array(z.string().min(1)).optional(),
    scenario: scenarioSchema.default("healthy"),
    timeline: z.array(z.object({ atSeconds: z.number().nonnegative(), scenario: scenarioSchema }).strict()).default([]),
    seed: z.number().int().optional(),
    filesPerMinute: z.number().positive().max(1_000_000).optional(),
    moduleGeneration: z.enum(["AzureInformationProtection", "PurviewInformationProtection"]).optional(),
  })
  .strict();

/** `SQL01`, `SQL01\SCANNER` or `SQL01,1433`: how Get-AIPScannerConfiguration prints SqlInstance. */
const databaseSchema = z
  .object({
    /** Off: the agent does not touch SQL Server. */
    enabled: z.boolean().default(true),
    /** Omit both to take them from Get-AIPScannerConfiguration / Get-ScannerConfiguration. */
    sqlInstance: z.string().min(1).optional(),
    databaseName: z.string().min(1).max(128).optional(),
    /** How the agent logs in; without it the check runs in PowerShell with the agent account's Windows login. */
    auth: z
      .discriminatedUnion("kind", [
        z
          .object({
            kind: z.literal("ntlm"),
            domain: z.string().min(1),
            user: z.string().min(1),
            password: secretReferenceSchema,
          })
          .strict(),
        z.object({ kind: z.literal("sql"), user: z.string().min(1), password: secretReferenceSchema }).strict(),
      ])
      .optional(),
    encrypt: z.boolean().default(true),
    trustServerCertificate: z.boolean().default(false),
    timeout: durationSchema.default(15_000),
  })
  .strict();

const powershellBackendSchema = z
  .object({
    kind: z.literal("powershell"),
    /** Windows PowerShell 5.1; the scanner cmdlets do not support PowerShell 7. */
    executable: z.string().min(1).optional(),
    timeout: durationSchema.default(60_000),
    /** Start-AIPScannerDiagnostics checks the DB, URLs and token: give it longer. */
    diagnosticsTimeout: durationSchema.default(300_000),
    maxOutputBytes: z
      .number()
      .int()
      .min(4096)
      .max(64 * 1024 * 1024)
      .default(4 * 1024 * 1024),
    /** Defaults to %LOCALAPPDATA%\Microsoft\MSIP\Logs of the account the agent runs as (the scanner's). */
    logPath: z.string().min(1).optional(),
    /** Defaults to %LOCALAPPDATA%\Microsoft\MSIP\Scanner\Reports of that account. */
    reportPath: z.string().min(1).optional(),
    /** Read the scanner's event log (ids 3001-3007) for errors. */
    eventLog: z.boolean().default(true),
    database: databaseSchema.default({ enabled: true, encrypt: true, trustServerCertificate: false, timeout: 15_000 }),
    /** Endpoints the scanner must reach over HTTPS (scanner prerequisites). */
    urls: z
      .array(z.url({ protocol: /^https$/, error: "must be an https:// URL" }))
      .default([
        "https://login.microsoftonline.com",
        "https://api.aadrm.com",
        "https://informationprotection.hosting.portal.azure.net",
      ]),
    /** Where export-logs writes its zip. */
    exportDirectory: z.string().min(1).default("C:\\ProgramData\\ScannerBot\\exports"),
  })
  .strict();

const actionsSchema = z
  .object(
    Object.fromEntries(guardedActionSchema.options.map((a) => [a, z.boolean().default(false)])) as Record<
      z.infer<typeof guardedActionSchema>,
      z.ZodDefault<z.ZodBoolean>
    >,
  )
  .strict();

export const agentConfigSchema = z
  .object({
    node: z
      .object({ name: z.string().min(1).max(253).optional() })
      .strict()
      .default({}),
    listen: z
      .object({
        host: z.string().min(1).default("127.0.0.1"),
        port: z.number().int().min(0).max(65_535).default(8443),
        tls: z
          .object({ cert: z.string().min(1), key: z.string().min(1) })
          .strict()
          .optional(),
        /** Labs only: serve plain HTTP on a non-loopback address. */
        allowPlainHttp: z.boolean().default(false),
        /** A client that has not sent its request headers by then is disconnected (408). */
        headersTimeout: durationSchema.default(15_000),
        /** A client that has not sent its whole request, body included, by then is disconnected (408). */
        requestTimeout: durationSchema.default(30_000),
        /** Connections open at once; further ones are closed as they arrive. */
        maxConnections: z.number().int().min(1).max(100_000).default(64),
      })
      .strict()
      .refine((listen) => listen.headersTimeout <= listen.requestTimeout, {
        message: "headersTimeout must not be longer than requestTimeout (the headers are part of the request)",
        path: ["headersTimeout"],
      })
      .default({
        host: "127.0.0.1",
        port: 8443,
        allowPlainHttp: false,
        headersTimeout: 15_000,
        requestTimeout: 30_000,
        maxConnections: 64,
      }),
    secrets: z.array(secretReferenceSchema).min(1, "the agent needs at least one shared secret"),
    backend: z.discriminatedUnion("kind", [simulatorBackendSchema, powershellBackendSchema]),
    actions: actionsSchema.default({
      "restart-service": false,
      "start-scan": false,
      "stop-scan": false,
      "export-logs": false,
    }),
    log: z
      .object({ level: z.enum(["trace", "debug", "info", "warn", "error", "silent"]).default("info") })
      .strict()
      .default({ level: "info" }),
    maxBodyBytes: z
      .number()
      .int()
      .min(1024)
      .max(1024 * 1024)
      .default(16 * 1024),
    /**
     * Where the agent keeps what must survive a restart (the action journal: a guarded action runs at most
     * once, also across restarts). Relative paths are resolved against the config file's directory.
     */
    dataDirectory: z.string().min(1).default("data"),
  })
  .strict();

type ParsedAgentConfig = z.output<typeof agentConfigSchema>;
/** How long a client may take to send a request, and how many may be connected at once. */
export type ConnectionLimits = Pick<
  ParsedAgentConfig["listen"],
  "headersTimeout" | "requestTimeout" | "maxConnections"
>;
export type SimulatorBackendConfig = z.output<typeof simulatorBackendSchema>;
export type PowershellBackendConfig = z.output<typeof powershellBackendSchema>;
export type DatabaseConfig = z.output<typeof databaseSchema>;

/** A loaded config: secret references replaced by their values, TLS files read, node name filled in. */
export interface AgentConfig extends Omit<ParsedAgentConfig, "secrets" | "listen" | "node"> {
  nodeName: string;
  listen: { host: string; port: number; tls?: { cert: Buffer; key: Buffer } } & ConnectionLimits;
  secrets: string[];
  /** Resolved database password, when `database.auth` names one. */
  databasePassword?: string;
  /** Where each secret came from (`env:NAME` / `file:PATH`), for logs; never the value. */
  secretOrigins: string[];
  /** `dataDirectory`, made absolute. */
  dataDirectory: string;
}

export type AgentConfigResult = { ok: true; config: AgentConfig } | { ok: false; problems: string[] };

/** Reads one `env:`/`file:` reference; a missing variable or unreadable file becomes a problem at `where`. */
async function resolveSecret(
  reference: string,
  where: string,
  baseDir: string,
  env: NodeJS.ProcessEnv,
  problems: string[],
): Promise<string | undefined> {
  if (reference.startsWith("env:")) {
    const name = reference.slice(4);
    const value = env[name];
    if (!value) problems.push(`${where}: environment variable ${name} is not set`);
    return value || undefined;
  }
  const path = resolve(baseDir, reference.slice(5));
  try {
    const value = (await readFile(path, "utf8")).trim();
    if (!value) problems.push(`${where}: the file ${path} is empty`);
    return value || undefined;
  } catch (err) {
    problems.push(`${where}: cannot read ${path} (${(err as NodeJS.ErrnoException).code ?? "unreadable"})`);
    return undefined;
  }
}

/** Parses and resolves agent config text; `file` anchors relative paths. Never throws. */
export async function parseAgentConfig(
  text: string,
  file: string,
  env: NodeJS.ProcessEnv = process.env,
): Promise<AgentConfigResult> {
  const doc = parseDocument(text, { uniqueKeys: true });
  if (doc.errors.length > 0) {
    return {
      ok: false,
      problems: doc.errors.map((e) => {
        const pos = e.linePos?.[0];
        return `${pos ? `line ${pos.line}, column ${pos.col}` : "YAML"}: ${e.message.split("\n")[0] ?? e.code}`;
      }),
    };
  }
  const raw: unknown = doc.toJS() ?? {};
  const parsed = agentConfigSchema.safeParse(raw);
  if (!parsed.success) return { ok: false, problems: describeConfigIssues(parsed.error) };
  const config = parsed.data;
  const baseDir = dirname(resolve(file));
  const problems: string[] = [];

  const secrets: string[] = [];
  for (const [i, reference] of config.secrets.entries()) {
    const where = formatConfigPath(["secrets", i]);
    const value = await resolveSecret(reference, where, baseDir, env, problems);
    if (value !== undefined && value.length < 16) problems.push(`${where}: the secret must be at least 16 characters`);
    if (value !== undefined) secrets.push(value);
  }

  let databasePassword: string | undefined;
  if (config.backend.kind === "powershell" && config.backend.database.auth) {
    const where = formatConfigPath(["backend", "database", "auth", "password"]);
    databasePassword = await resolveSecret(config.backend.database.auth.password, where, baseDir, env, problems);
  }

  let tls: { cert: Buffer; key: Buffer } | undefined;
  if (config.listen.tls) {
    const read = async (which: "cert" | "key") => {
      const path = resolve(baseDir, config.listen.tls?.[which] ?? "");
      try {
        return await readFile(path);
      } catch (err) {
        const code = (err as NodeJS.ErrnoException).code ?? "unreadable";
        problems.push(`${formatConfigPath(["listen", "tls", which])}: cannot read ${path} (${code})`);
        return undefined;
      }
    };
    const [cert, key] = [await read("cert"), await read("key")];
    if (cert && key) tls = { cert, key };
  }
  if (!config.listen.tls && !config.listen.allowPlainHttp && !isLoopback(config.listen.host)) {
    problems.push(
      "listen.tls: the agent listens beyond loopback without TLS; give listen.tls.cert and listen.tls.key (signatures stop forgery, not eavesdropping), or set listen.allowPlainHttp: true in a lab",
    );
  }
  if (problems.length > 0) return { ok: false, problems };

  const { secrets: _references, listen, node, dataDirectory, ...rest } = config;
  return {
    ok: true,
    config: {
      ...rest,
      nodeName: node.name ?? hostname(),
      listen: {
        host: listen.host,
        port: listen.port,
        headersTimeout: listen.headersTimeout,
        requestTimeout: listen.requestTimeout,
        maxConnections: listen.maxConnections,
        ...(tls ? { tls } : {}),
      },
      secrets,
      ...(databasePassword === undefined ? {} : { databasePassword }),
      secretOrigins: config.secrets.map((s) => (s.startsWith("env:") ? s : `file:${resolve(baseDir, s.slice(5))}`)),
      dataDirectory: resolve(baseDir, dataDirectory),
    },
  };
}

function isLoopback(host: string): boolean {
  return host === "localhost" || host === "::1" || /^127\./.test(host);
}

/** Reads an agent config file; an unreadable file is reported like any other problem. */
export async function loadAgentConfig(file: string, env: NodeJS.ProcessEnv = process.env): Promise<AgentConfigResult> {
  let text: string;
  try {
    text = await readFile(file, "utf8");
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    return { ok: false, problems: [`${file}: cannot read the agent config (${code ?? "unreadable"})`] };
  }
  return parseAgentConfig(text, isAbsolute(file) ? file : resolve(file), env);
}

/** The guarded actions a config turns on. */
export function enabledActions(config: Pick<AgentConfig, "actions">) {
  return guardedActionSchema.options.filter((a) => config.actions[a]);
}
