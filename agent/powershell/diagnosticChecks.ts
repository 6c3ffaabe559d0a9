import type { DiagnosticCheck } from "../../src/wire/agentApi.js";
import { defaultDynamicPorts, parseDynamicPortRange } from "./dynamicPortRange.js";
import type { RawDiagnostics } from "./probeOutputs.js";

/**
 * Turns the facts the diagnostics script collected into checks: ok / warn /
 * error, a sentence an admin can act on, and the knowledge-base section
 * (the troubleshooting article's heading anchor) when the agent can tell.
 */

/** Exact phrases from the troubleshooting article, in the order they are tried. */
const transcriptPhrases: [RegExp, string][] = [
  [/The service didn't accept the auth token/i, "authentication-token-not-accepted"],
  [
    /NoAuthTokenException|Failed to acquire a token using windows integrated authentication/i,
    "authentication-token-missing",
  ],
  [
    /Policy is missing labeling conditions|Policy does not include any automatic labeling condition/i,
    "policy-doesnt-include-automatic-labeling-conditions",
  ],
  [/Policy is missing/i, "policy-missing"],
  [/SchemaMismatchException|DB schema is not up to date/i, "mismatched-or-outdated-schema"],
  [/\bDB error\b/i, "database-errors"],
  [/The underlying connection was closed/i, "underlying-connection-was-closed"],
  [/Only one usage of each socket address/i, "unable-to-connect-to-remote-server"],
  [/No content scan job found/i, "missing-content-scan-job-or-profile"],
  [/No repositories are configured/i, "no-repositories-configured"],
  [/No cluster found/i, "no-cluster-found"],
];

/** The first article section whose error text appears in `text`. */
export function knownErrorIn(text: string): string | undefined {
  return transcriptPhrases.find(([pattern]) => pattern.test(text))?.[1];
}

const check = (
  id: string,
  title: string,
  status: DiagnosticCheck["status"],
  detail: string,
  kbId?: string,
): DiagnosticCheck => ({ id, title, status, detail, ...(kbId ? { kbId } : {}) });

function serviceCheck(raw: RawDiagnostics): DiagnosticCheck {
  const { name, state } = raw.service;
  const title = "Scanner service";
  if (state === "Running") return check("service", title, "ok", `${name} is Running.`);
  if (state === "NotInstalled")
    return check("service", title, "error", "No scanner service is installed on this node.");
  if (state === "Stopped") return check("service", title, "error", `${name} is Stopped; the node does not scan.`);
  return check("service", title, "warn", `${name} is ${state}.`);
}

function scannerDiagnosticsCheck(raw: RawDiagnostics): DiagnosticCheck {
  const cmdlet =
    raw.moduleGeneration === "PurviewInformationProtection"
      ? "Start-ScannerDiagnostics"
      : "Start-AIPScannerDiagnostics";
  const title = `${cmdlet} (the scanner's own checks)`;
  if (raw.moduleGeneration === "none") {
    return check("scanner-diagnostics", title, "error", "No scanner PowerShell module is installed on this node.");
  }
  if (raw.diagnosticsError) {
    const kb = knownErrorIn(raw.diagnosticsError);
    return check("scanner-diagnostics", title, "error", `${cmdlet} failed: ${raw.diagnosticsError.slice(0, 400)}`, kb);
  }
  const kb = knownErrorIn(raw.transcript);
  const errorLines = raw.transcript.split(/\r?\n/).filter((l) => /\b(error|exception|failed)\b/i.test(l)).length;
  if (kb) return check("scanner-diagnostics", title, "error", `The transcript reports a known scanner error.`, kb);
  if (errorLines > 0) {
    return check("scanner-diagnostics", title, "warn", `The transcript has ${errorLines} line(s) mentioning errors.`);
  }
  return check("scanner-diagnostics", title, "ok", "Completed without errors.");
}

function policyCheck(raw: RawDiagnostics, now: Date): DiagnosticCheck {
  const title = "Label policy file";
  const file = raw.policyFile;
  if (!file) return check("policy-file", title, "skipped", "The policy file location is unknown.");
  if (!file.exists) return check("policy-file", title, "error", `${file.path} does not exist.`, "policy-missing");
  const ageHours = file.lastWriteTime ? (now.getTime() - Date.parse(file.lastWriteTime)) / 3_600_000 : 0;
  // The scanner refreshes its policy every 4 hours; a day without a refresh means it cannot fetch it.
  if (ageHours > 24) {
    return check("policy-file", title, "warn", `${file.path} was last refreshed ${Math.floor(ageHours)} hours ago.`);
  }
  return check("policy-file", title, "ok", `${file.path} exists.`);
}

function tlsCheck(raw: RawDiagnostics): DiagnosticCheck {
  const title = "TLS 1.2 for .NET Framework";
  const kb = "underlying-connection-was-closed";
  const dotnet = raw.tls.filter((k) => /NETFramework/i.test(k.path));
  const schannel = raw.tls.find((k) => /SCHANNEL/i.test(k.path));
  if (dotnet.length === 0) return check("tls12", title, "skipped", "The registry was not read.");
  const missing = dotnet.filter((k) => k.SchUseStrongCrypto !== 1 || k.SystemDefaultTlsVersions !== 1);
  if (schannel?.exists && (schannel.Enabled === 0 || schannel.DisabledByDefault === 1)) {
    return check("tls12", title, "error", `TLS 1.2 is disabled for clients in ${schannel.path}.`, kb);
  }
  // The scanner is a 32-bit process: the WOW6432Node key is the one it reads.
  const wow = missing.find((k) => /WOW6432Node/i.test(k.path));
  if (wow) {
    return check(
      "tls12",
      title,
      "error",
      `SchUseStrongCrypto and SystemDefaultTlsVersions must be 1 in ${wow.path}.`,
      kb,
    );
  }
  if (missing.length > 0) {
    const paths = missing.map((k) => k.path).join(", ");
    return check(
      "tls12",
      title,
      "warn",
      `SchUseStrongCrypto and SystemDefaultTlsVersions are not both 1 in ${paths}.`,
      kb,
    );
  }
  return check("tls12", title, "ok", "SchUseStrongCrypto=1 and SystemDefaultTlsVersions=1 (64-bit and WOW6432Node).");
}

function portsCheck(raw: RawDiagnostics): DiagnosticCheck {
  const title = "Dynamic TCP port range";
  const kb = "unable-to-connect-to-remote-server";
  const range = parseDynamicPortRange(raw.netshDynamicPorts);
  if (!range) return check("dynamic-ports", title, "warn", "Could not read `netsh int ipv4 show dynamicport tcp`.");
  const waiting = raw.timeWaitCount;
  const summary = `Start port ${range.start}, ${range.count} ports${waiting == null ? "" : `; ${waiting} connections in TIME_WAIT`}.`;
  if (waiting != null && waiting >= range.count * 0.8) {
    return check("dynamic-ports", title, "error", `${summary} The range is nearly exhausted.`, kb);
  }
  if (range.count < defaultDynamicPorts.count) {
    return check(
      "dynamic-ports",
      title,
      "warn",
      `${summary} That is fewer than Windows' default ${defaultDynamicPorts.count}.`,
      kb,
    );
  }
  return check("dynamic-ports", title, "ok", summary);
}

function urlChecks(raw: RawDiagnostics): DiagnosticCheck[] {
  return raw.urls.map((u) => {
    let host = u.url;
    try {
      host = new URL(u.url).host;
    } catch {
      // Keep the text as given.
    }
    if (u.reachable) return check(`url:${host}`, u.url, "ok", `Reachable (HTTP ${u.httpStatus ?? "?"}).`);
    const error = u.error ?? "unreachable";
    return check(`url:${host}`, u.url, "error", `Not reachable: ${error.slice(0, 300)}`, knownErrorIn(error));
  });
}

function profileCheck(raw: RawDiagnostics): DiagnosticCheck {
  const title = "Service account profile";
  const p = raw.profile;
  if (!p) return check("service-account", title, "skipped", "Not checked.");
  const who = p.account ?? "the agent's account";
  if (!p.exists) {
    return check(
      "service-account",
      title,
      "error",
      `The profile folder ${p.localAppData ?? "(unknown)"} of ${who} does not exist.`,
    );
  }
  return check("service-account", title, "ok", `${who}: logs and reports under ${p.localAppData}.`);
}

/** All checks except the database one, which has its own module. */
export function diagnosticChecks(raw: RawDiagnostics, now: Date): DiagnosticCheck[] {
  return [
    serviceCheck(raw),
    scannerDiagnosticsCheck(raw),
    policyCheck(raw, now),
    tlsCheck(raw),
    portsCheck(raw),
    ...urlChecks(raw),
    profileCheck(raw),
  ];
}
