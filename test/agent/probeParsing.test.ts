import { describe, expect, it } from "vitest";
import { diagnosticChecks, knownErrorIn } from "../../agent/powershell/diagnosticChecks.js";
import { parseDynamicPortRange } from "../../agent/powershell/dynamicPortRange.js";
import { parseIplog } from "../../agent/powershell/iplogReader.js";
import {
  normalisePowershellTime,
  parseProbeOutput,
  type RawDiagnostics,
  rawDiagnosticsSchema,
  rawStatusSchema,
} from "../../agent/powershell/probeOutputs.js";
import { timeFromStartSeconds, toScanStatus } from "../../agent/powershell/statusProjection.js";
import { scanStatusSchema } from "../../src/wire/agentApi.js";

describe("netsh dynamic port range", () => {
  it("reads the numbers by position whatever the language", () => {
    const english =
      "Protocol tcp Dynamic Port Range\r\n---------------------------------\r\nStart Port      : 49152\r\nNumber of Ports : 16384\r\n";
    const german =
      "Protokoll tcp Dynamischer Portbereich\n---------------------------------\nStartport       : 10000\nAnzahl Ports    : 55535\n";
    expect(parseDynamicPortRange(english)).toEqual({ start: 49152, count: 16384 });
    expect(parseDynamicPortRange(german)).toEqual({ start: 10000, count: 55535 });
  });

  it("refuses text without two numbers or with an impossible range", () => {
    expect(parseDynamicPortRange("The requested operation requires elevation (Run as administrator).")).toBeNull();
    expect(parseDynamicPortRange("Start Port : 60000\nNumber of Ports : 16384\n")).toBeNull();
    expect(parseDynamicPortRange(null)).toBeNull();
  });
});

describe("PowerShell values", () => {
  it("normalises 5.1 dates and round-trip times to ISO UTC", () => {
    expect(normalisePowershellTime("/Date(1795582800000)/")).toBe("2026-11-25T05:00:00.000Z");
    expect(normalisePowershellTime("\\/Date(1795582800000)\\/")).toBe("2026-11-25T05:00:00.000Z");
    expect(normalisePowershellTime("/Date(1795582800000+0100)/")).toBe("2026-11-25T05:00:00.000Z");
    expect(normalisePowershellTime("2026-11-25T09:05:02.1234567")).toBe("2026-11-25T09:05:02.123Z");
    expect(normalisePowershellTime("2026-11-25T09:05:02.1234567+01:00")).toBe("2026-11-25T08:05:02.123Z");
    expect(normalisePowershellTime("not a time")).toBeNull();
    expect(normalisePowershellTime("")).toBeNull();
  });

  it("reads TimeSpan text and leaves the ambiguous four-part sample alone", () => {
    expect(timeFromStartSeconds("00:00:37")).toBe(37);
    expect(timeFromStartSeconds("1.02:03:04.5000000")).toBe(93_784);
    expect(timeFromStartSeconds("00:00:00:37")).toBeNull();
  });
});

describe("iplog parsing", () => {
  it("keeps errors with their continuation lines and skips information", () => {
    const text = [
      "11/25/2026 8:05:02 PM | Info | Scan started",
      "11/25/2026 8:06:10 PM | Error | Microsoft.InformationProtection.Exceptions.AccessDeniedException: The service didn't accept the auth token.",
      "   at Microsoft.InformationProtection.Scanner.PolicyProvider.AcquirePolicyAsync()",
      "11/25/2026 12:07:00 AM System.Net.WebException: The underlying connection was closed: An unexpected error occurred on a send.",
      "2026-11-25T20:08:00Z Warning Retrying",
    ].join("\r\n");
    const entries = parseIplog(text, "MSIPScanner.iplog");
    expect(entries.map((e) => e.time)).toEqual(["2026-11-25T20:06:10.000Z", "2026-11-25T00:07:00.000Z"]);
    expect(entries[0]?.message).toBe(
      "Microsoft.InformationProtection.Exceptions.AccessDeniedException: The service didn't accept the auth token.\n   at Microsoft.InformationProtection.Scanner.PolicyProvider.AcquirePolicyAsync()",
    );
    expect(entries[1]?.level).toBe("Error");
  });
});

describe("probe output", () => {
  it("finds the JSON after a module banner and unwraps 5.1's {value, Count} arrays", () => {
    const out = `WARNING: unapproved verbs {see Get-Verb}\r\n${JSON.stringify({
      ok: true,
      data: {
        moduleGeneration: "AzureInformationProtection",
        service: { name: "AIPScanner", state: "Running" },
        status: { cluster: "c", clusterStatus: "3", nodes: { value: [], Count: 0 } },
        repositories: { value: [{ path: "C:\\temp", status: "scanning" }], Count: 1 },
      },
    })}`;
    const parsed = parseProbeOutput("status", out, rawStatusSchema);
    if (!parsed.ok) throw parsed.error;
    const status = scanStatusSchema.parse(toScanStatus(parsed.value, "SCAN01", new Date("2026-11-25T10:00:00Z")));
    expect(status.repositories).toEqual([{ path: "C:\\temp", status: "Scanning" }]);
    // An enum that slipped through as a number is kept as text, not guessed.
    expect(status.clusterStatus).toBe("Unknown");
    expect(status.clusterStatusText).toBe("3");
  });

  it("turns a script's own failure and a wrong shape into readable probe failures", () => {
    const failed = parseProbeOutput("status", '{"ok":false,"error":"Access is denied"}', rawStatusSchema);
    expect(!failed.ok && failed.error.userMessage).toBe("The status probe failed on the node: Access is denied");
    const wrong = parseProbeOutput("status", '{"ok":true,"data":{"service":42}}', rawStatusSchema);
    expect(!wrong.ok && wrong.error.userMessage).toMatch(
      /^The status probe printed data the agent does not understand \(at /,
    );
    const empty = parseProbeOutput("status", "", rawStatusSchema);
    expect(!empty.ok && empty.error.userMessage).toBe("The status probe printed no JSON.");
  });

  it("reports a failed status cmdlet on a stopped service as Offline with the reason", () => {
    const raw = rawStatusSchema.parse({
      moduleGeneration: "PurviewInformationProtection",
      service: { name: "MIPScanner", state: "Stopped" },
      statusError: "Unable to connect to the configuration database.",
    });
    const status = toScanStatus(raw, "SCAN09", new Date("2026-11-25T10:00:00Z"));
    expect(status.clusterStatus).toBe("Offline");
    expect(status.clusterStatusText).toBe("Status cmdlet failed: Unable to connect to the configuration database.");
  });
});

describe("diagnostics judgement", () => {
  const base = (overrides: Record<string, unknown>): RawDiagnostics =>
    rawDiagnosticsSchema.parse({
      moduleGeneration: "AzureInformationProtection",
      service: { name: "AIPScanner", state: "Running" },
      transcript: "",
      ...overrides,
    });
  const now = new Date("2026-11-25T10:00:00Z");

  it("warns about a policy file that has not been refreshed for a day", () => {
    const checks = diagnosticChecks(
      base({ policyFile: { path: "p", exists: true, lastWriteTime: "2026-11-23T10:00:00Z" } }),
      now,
    );
    expect(checks.find((c) => c.id === "policy-file")).toMatchObject({ status: "warn" });
  });

  it("flags TLS 1.2 disabled in SChannel, and a 64-bit-only .NET setting as a warning", () => {
    const ok = { exists: true, SystemDefaultTlsVersions: 1, SchUseStrongCrypto: 1 };
    const disabled = diagnosticChecks(
      base({
        tls: [
          { path: "HKLM:\\SOFTWARE\\Microsoft\\.NETFramework\\v4.0.30319", ...ok },
          { path: "HKLM:\\SOFTWARE\\WOW6432Node\\Microsoft\\.NETFramework\\v4.0.30319", ...ok },
          { path: "HKLM:\\SYSTEM\\...\\SCHANNEL\\Protocols\\TLS 1.2\\Client", exists: true, Enabled: 0 },
        ],
      }),
      now,
    );
    expect(disabled.find((c) => c.id === "tls12")).toMatchObject({
      status: "error",
      kbId: "underlying-connection-was-closed",
    });
    const partial = diagnosticChecks(
      base({
        tls: [
          { path: "HKLM:\\SOFTWARE\\Microsoft\\.NETFramework\\v4.0.30319", exists: false },
          { path: "HKLM:\\SOFTWARE\\WOW6432Node\\Microsoft\\.NETFramework\\v4.0.30319", ...ok },
        ],
      }),
      now,
    );
    expect(partial.find((c) => c.id === "tls12")?.status).toBe("warn");
  });

  it("recognises the article's error texts", () => {
    expect(knownErrorIn("Policy is missing labeling conditions")).toBe(
      "policy-doesnt-include-automatic-labeling-conditions",
    );
    expect(knownErrorIn("Policy is missing")).toBe("policy-missing");
    expect(knownErrorIn("No content scan job found")).toBe("missing-content-scan-job-or-profile");
    expect(knownErrorIn("all good")).toBeUndefined();
  });
});
