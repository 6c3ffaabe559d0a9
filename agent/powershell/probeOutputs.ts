import { z } from "zod";
import { BotError } from "../../src/foundation/botError.js";

/**
 * What the probe scripts print, as zod schemas. Windows PowerShell 5.1 has
 * habits the schemas absorb: one-element arrays may arrive as a bare object,
 * `$null` as a missing key, and dates as `\/Date(ms)\/` when a script forgets
 * to format them.
 */

/** `\/Date(1700000000000)\/` (5.1's ConvertTo-Json) or ISO 8601; ISO without an offset is taken as UTC. */
export function normalisePowershellTime(text: string | null | undefined): string | null {
  if (!text) return null;
  // JSON.parse already turned `\/` into `/`; text read some other way may still carry the backslashes.
  const legacy = /^\\?\/Date\((-?\d+)(?:[+-]\d{4})?\)\\?\/$/.exec(text.trim());
  if (legacy?.[1]) return new Date(Number(legacy[1])).toISOString();
  const trimmed = text.trim();
  const hasOffset = /(Z|[+-]\d{2}:?\d{2})$/i.test(trimmed);
  const iso = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}/.test(trimmed);
  // .NET's round-trip format has 7 fractional digits; Date.parse wants at most 3.
  const shortened = trimmed.replace(/(\.\d{3})\d+/, "$1");
  const ms = Date.parse(iso && !hasOffset ? `${shortened}Z` : shortened);
  return Number.isNaN(ms) ? null : new Date(ms).toISOString();
}

const psTime = z
  .string()
  .nullish()
  .transform((value) => normalisePowershellTime(value));

/** 5.1 serialises a PSObject-wrapped array as `{"value":[...],"Count":n}`. */
function unwrapArray(value: unknown): unknown {
  if (value && typeof value === "object" && !Array.isArray(value) && "value" in value && "Count" in value) {
    return (value as { value: unknown }).value;
  }
  return value;
}

/** A list that 5.1 may have unwrapped to a single object, wrapped in `{value, Count}`, or dropped when empty. */
function psList<T extends z.ZodType>(item: T) {
  return z.preprocess((raw) => {
    const value = unwrapArray(raw);
    return value == null ? [] : Array.isArray(value) ? value : [value];
  }, z.array(item));
}

const text = z
  .union([z.string(), z.number(), z.boolean()])
  .nullish()
  .transform((v) => (v == null ? null : String(v)));

export const rawServiceSchema = z.object({
  name: z.string(),
  displayName: text,
  state: z.string(),
  account: text,
});
export type RawService = z.infer<typeof rawServiceSchema>;

const moduleGeneration = z.enum(["AzureInformationProtection", "PurviewInformationProtection", "none"]);

export const rawHealthSchema = z.object({
  moduleGeneration,
  service: rawServiceSchema,
  computerName: text,
});

export const rawNodeSchema = z.object({
  nodeName: z.string(),
  status: text.transform((v) => v ?? ""),
  isScanning: text.transform((v) => v ?? ""),
  summary: z.record(z.string(), text).nullish(),
});
export type RawNode = z.infer<typeof rawNodeSchema>;

export const rawStatusSchema = z.object({
  moduleGeneration,
  service: rawServiceSchema,
  computerName: text,
  status: z
    .object({
      cluster: text,
      clusterStatus: text,
      startTime: psTime,
      timeFromStart: text,
      nodes: psList(rawNodeSchema),
    })
    .nullish(),
  statusError: text,
  repositories: psList(z.object({ path: z.string(), status: text })),
  detailedReport: z
    .object({ path: z.string(), sizeBytes: z.number().int().nonnegative(), lastWriteTime: psTime })
    .nullish(),
});
export type RawStatus = z.infer<typeof rawStatusSchema>;

const registryValue = z.number().int().nullish();

export const rawDatabaseProbeSchema = z.object({
  sqlInstance: z.string(),
  databaseName: z.string(),
  connected: z.boolean(),
  errorNumber: z.number().int().nullish(),
  error: text,
  dbId: z.number().int().nullish(),
  isDbOwner: z.boolean().nullish(),
  state: text,
  collation: text,
});

export const rawDiagnosticsSchema = z.object({
  moduleGeneration,
  service: rawServiceSchema,
  computerName: text,
  transcript: text.transform((v) => v ?? ""),
  diagnosticsError: text,
  configuration: z
    .object({ cluster: text, sqlInstance: text, databaseName: text, onlineConfiguration: text })
    .nullish(),
  policyFile: z.object({ path: z.string(), exists: z.boolean(), lastWriteTime: psTime }).nullish(),
  tls: psList(
    z.object({
      path: z.string(),
      exists: z.boolean(),
      SystemDefaultTlsVersions: registryValue,
      SchUseStrongCrypto: registryValue,
      Enabled: registryValue,
      DisabledByDefault: registryValue,
    }),
  ),
  netshDynamicPorts: text,
  timeWaitCount: z.number().int().nonnegative().nullish(),
  urls: psList(
    z.object({ url: z.string(), reachable: z.boolean(), httpStatus: z.number().int().nullish(), error: text }),
  ),
  profile: z.object({ account: text, localAppData: text, exists: z.boolean() }).nullish(),
  database: rawDatabaseProbeSchema.nullish(),
});
export type RawDiagnostics = z.infer<typeof rawDiagnosticsSchema>;

export const rawErrorsSchema = z.object({
  logDirectory: z.string(),
  eventLogs: psList(z.string()),
  events: psList(z.object({ time: psTime, logName: z.string(), id: z.number().int(), level: text, message: text })),
});
export type RawErrors = z.infer<typeof rawErrorsSchema>;

export const rawReportsSchema = z.object({
  directory: z.string(),
  exists: z.boolean(),
  accessDenied: z.boolean(),
  files: psList(
    z.object({ name: z.string(), path: z.string(), sizeBytes: z.number().int().nonnegative(), lastWriteTime: psTime }),
  ),
});
export type RawReports = z.infer<typeof rawReportsSchema>;

export const rawActionSchema = z.object({
  outcome: z.enum(["done", "failed"]),
  message: text.transform((v) => v ?? ""),
  artifactPath: text,
});

const envelopeSchema = z.union([
  z.object({ ok: z.literal(true), data: z.unknown() }),
  z.object({ ok: z.literal(false), error: text }),
]);

/**
 * Turns a probe's stdout into typed data, or a BotError that says which
 * probe failed and why in words safe for a channel.
 */
export function parseProbeOutput<T extends z.ZodType>(
  probe: string,
  stdout: string,
  schema: T,
): { ok: true; value: z.output<T> } | { ok: false; error: BotError } {
  const failed = (message: string, cause?: unknown) => ({
    ok: false as const,
    error: new BotError("probe_failed", message, { cause }),
  });
  // A module may have printed a banner (Write-Host goes to stdout) before the document, which starts `{"ok":`.
  const marked = stdout.search(/\{\s*"ok"\s*:/);
  const start = marked === -1 ? stdout.indexOf("{") : marked;
  if (start === -1) return failed(`The ${probe} probe printed no JSON.`, stdout.slice(0, 500));
  let json: unknown;
  try {
    json = JSON.parse(stdout.slice(start).replace(/^\uFEFF/, ""));
  } catch (err) {
    return failed(`The ${probe} probe printed malformed JSON.`, err);
  }
  const envelope = envelopeSchema.safeParse(json);
  if (!envelope.success) return failed(`The ${probe} probe printed an unexpected document.`, envelope.error);
  if (!envelope.data.ok) {
    return failed(`The ${probe} probe failed on the node: ${(envelope.data.error ?? "no reason given").slice(0, 300)}`);
  }
  const data = schema.safeParse(envelope.data.data);
  if (!data.success) {
    const where = data.error.issues
      .slice(0, 3)
      .map((i) => i.path.join(".") || "(top)")
      .join(", ");
    return failed(`The ${probe} probe printed data the agent does not understand (at ${where}).`, data.error);
  }
  return { ok: true, value: data.data };
}
