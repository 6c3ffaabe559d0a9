import type { ClusterStatus } from "../../src/wire/agentApi.js";

/** Every condition the simulator can play, healthy ones first. */
export const simulatorScenarios = [
  "healthy",
  "idle",
  "finished",
  "stalled",
  "slow-large-file",
  "auth-token-not-accepted",
  "auth-token-missing",
  "policy-missing",
  "no-labeling-conditions",
  "database-error",
  "schema-mismatch",
  "tls-connection-closed",
  "port-exhaustion",
  "no-repositories",
  "no-cluster",
  "missing-content-scan-job",
  "service-stopped",
] as const;
export type SimulatorScenario = (typeof simulatorScenarios)[number];

/** How a scenario shows in Get-AIPScannerStatus and in the files the agent watches. */
export interface ScenarioProfile {
  clusterStatus: ClusterStatus;
  nodeStatus: string;
  isScanning: "True" | "False";
  serviceRunning: boolean;
  /** ScannedFiles/ScannedBytes grow while this scenario lasts. */
  counting: boolean;
  /** FailedFiles grow too (files that hit the error). */
  failing: boolean;
  /** The newest DetailedReport_*.csv keeps growing. */
  reportGrows: boolean;
  /** The content scan job still lists the repositories. */
  hasRepositories: boolean;
}

/** A failed check the scenario makes the diagnostics report, with the article section that explains it. */
export interface ScenarioFault {
  checkId: string;
  title: string;
  status: "error" | "warn";
  detail: string;
  kbId?: string;
}

/** One error the scenario writes: to MSIPScanner.iplog, and to the scanner event log when `eventId` is set. */
export interface ScenarioLogLine {
  level: "Error" | "Warning";
  message: string;
  eventId?: number;
}

export interface ScenarioDefinition {
  profile: ScenarioProfile;
  faults: ScenarioFault[];
  /** Written every `everySeconds` while the scenario lasts. */
  log: ScenarioLogLine[];
  everySeconds: number;
}

const scanning: ScenarioProfile = {
  clusterStatus: "Scanning",
  nodeStatus: "Scanning",
  isScanning: "True",
  serviceRunning: true,
  counting: true,
  failing: false,
  reportGrows: true,
  hasRepositories: true,
};
const idle: ScenarioProfile = {
  ...scanning,
  clusterStatus: "Idle",
  nodeStatus: "Idle",
  isScanning: "False",
  counting: false,
  reportGrows: false,
};
const broken: ScenarioProfile = { ...idle, clusterStatus: "Error", nodeStatus: "Error" };

/** A configuration piece the portal's Nodes page reports as missing: the scanner idles in Error with no repositories. */
function portalMissing(
  checkId: string,
  title: string,
  portalMessage: string,
  kbId: string,
  eventId?: number,
): ScenarioDefinition {
  return {
    profile: { ...broken, hasRepositories: false },
    faults: [{ checkId, title, status: "error", detail: `${portalMessage}.`, kbId }],
    log: [{ level: "Error", message: portalMessage, ...(eventId === undefined ? {} : { eventId }) }],
    everySeconds: 600,
  };
}

/** The generation-specific name of the schema update cmdlet, as the portal message prints it. */
export type SchemaUpdateCmdlet = "Update-AIPScanner" | "Update-ScannerDatabase";

/** What each scenario looks like; `updateCmdlet` fills the schema message the way the node's client words it. */
export function scenarioDefinition(
  scenario: SimulatorScenario,
  facts: { updateCmdlet: SchemaUpdateCmdlet; remoteEndpoint: string; sqlInstance: string; databaseName: string },
): ScenarioDefinition {
  const quiet = { faults: [], log: [], everySeconds: 600 };
  switch (scenario) {
    case "healthy":
      return { profile: scanning, ...quiet };
    case "idle":
    case "finished":
      return { profile: idle, ...quiet };
    case "stalled":
      return { profile: { ...scanning, counting: false, reportGrows: false }, ...quiet };
    case "slow-large-file":
      return { profile: { ...scanning, counting: false }, ...quiet };
    case "auth-token-not-accepted":
      return {
        profile: broken,
        faults: [
          {
            checkId: "authentication",
            title: "Authentication token",
            status: "error",
            detail: "The service didn't accept the auth token. Check the app registration's API permissions.",
            kbId: "authentication-token-not-accepted",
          },
        ],
        log: [
          {
            level: "Error",
            message:
              "Microsoft.InformationProtection.Exceptions.AccessDeniedException: The service didn't accept the auth token.\r\n   at Microsoft.InformationProtection.Scanner.PolicyProvider.AcquirePolicyAsync()",
            eventId: 3001,
          },
        ],
        everySeconds: 300,
      };
    case "auth-token-missing":
      return {
        profile: broken,
        faults: [
          {
            checkId: "authentication",
            title: "Authentication token",
            status: "error",
            detail:
              "No authentication token was found for the service account; run Set-AIPAuthentication with -OnBehalfOf.",
            kbId: "authentication-token-missing",
          },
        ],
        log: [
          {
            level: "Error",
            message:
              "Microsoft.InformationProtection.Exceptions.NoAuthTokenException: Client application failed to provide authentication token for HTTP request. Failed with: System.AggregateException: One or more errors occurred. ---> Microsoft.IdentityModel.Clients.ActiveDirectory.AdalException: user_interaction_required: One of two conditions was encountered: 1. The PromptBehavior.Never flag was passed, but the constraint could not be honored, because user interaction was required. 2. An error occurred during a silent web authentication that prevented the http authentication flow from completing in a short enough time frame",
            eventId: 3001,
          },
          { level: "Error", message: "Failed to acquire a token using windows integrated authentication (No SSO)" },
        ],
        everySeconds: 300,
      };
    case "policy-missing":
      return {
        profile: broken,
        faults: [
          {
            checkId: "policy-file",
            title: "Label policy file",
            status: "error",
            detail:
              "%localappdata%\\Microsoft\\MSIP\\mip\\MSIP.Scanner.exe\\mip\\mip.policies.sqlite3 does not exist for the service account.",
            kbId: "policy-missing",
          },
        ],
        log: [
          {
            level: "Error",
            message:
              "Microsoft.InformationProtection.Exceptions.NoPolicyException: Policy is missing ---> Microsoft.InformationProtection.Exceptions.NoPolicyException: Label policy did not contain data, CorrelationId.Description=PolicyProfile, NoPolicyError.Category=SyncFile",
            eventId: 3005,
          },
        ],
        everySeconds: 600,
      };
    case "no-labeling-conditions":
      return {
        profile: broken,
        faults: [
          {
            checkId: "labeling-conditions",
            title: "Automatic labeling conditions",
            status: "error",
            detail: "Policy is missing labeling conditions: no label has automatic or recommended conditions.",
            kbId: "policy-doesnt-include-automatic-labeling-conditions",
          },
        ],
        log: [{ level: "Error", message: "Policy is missing labeling conditions", eventId: 3002 }],
        everySeconds: 600,
      };
    case "database-error":
      return {
        profile: broken,
        faults: [
          {
            checkId: "database",
            title: "Scanner database",
            status: "error",
            detail: `Cannot connect to ${facts.databaseName} on ${facts.sqlInstance}: the server was not found or was not accessible.`,
            kbId: "database-errors",
          },
        ],
        log: [
          {
            level: "Error",
            message: `Microsoft.InformationProtection.Scanner.Exceptions.DBException: DB error ---> System.Data.SqlClient.SqlException: A network-related or instance-specific error occurred while establishing a connection to SQL Server. The server was not found or was not accessible. Verify that the instance name is correct and that SQL Server is configured to allow remote connections. (provider: Named Pipes Provider, error: 40 - Could not open a connection to SQL Server) ---> System.ComponentModel.Win32Exception: The network path was not found`,
            eventId: 3003,
          },
        ],
        everySeconds: 120,
      };
    case "schema-mismatch":
      return {
        profile: broken,
        faults: [
          {
            checkId: "database-schema",
            title: "Scanner database schema",
            status: "error",
            detail: `DB schema is not up to date. Run ${facts.updateCmdlet} command to update the DB schema`,
            kbId: "mismatched-or-outdated-schema",
          },
        ],
        log: [
          {
            level: "Error",
            message: `Microsoft.InformationProtection.Scanner.Exceptions.SchemaMismatchException: DB schema is not up to date. Run ${facts.updateCmdlet} command to update the DB schema`,
            eventId: 3004,
          },
        ],
        everySeconds: 300,
      };
    case "tls-connection-closed":
      return {
        profile: broken,
        faults: [
          {
            checkId: "tls12",
            title: "TLS 1.2 for .NET Framework",
            status: "error",
            detail:
              "SchUseStrongCrypto and SystemDefaultTlsVersions are not set under HKLM\\SOFTWARE\\WOW6432Node\\Microsoft\\.NETFramework\\v4.0.30319.",
            kbId: "underlying-connection-was-closed",
          },
        ],
        log: [
          {
            level: "Error",
            message:
              "System.Net.WebException: The underlying connection was closed: An unexpected error occurred on a send. ---> System.IO.IOException: Authentication failed because the remote party has closed the transport stream.",
          },
          {
            level: "Error",
            message:
              "System.Net.Http.HttpRequestException: An error occurred while sending the request. ---> System.Net.WebException: The underlying connection was closed: An unexpected error occurred on a send. ---> System.IO.IOException: Unable to read data from the transport connection: An existing connection was forcibly closed by the remote host. ---> System.Net.Sockets.SocketException: An existing connection was forcibly closed by the remote host.",
          },
        ],
        everySeconds: 180,
      };
    case "port-exhaustion":
      return {
        profile: { ...scanning, failing: true },
        faults: [
          {
            checkId: "dynamic-ports",
            title: "Dynamic TCP port range",
            status: "warn",
            detail:
              "Start port 49152, 16384 ports; 16102 connections in TIME_WAIT. Raise the range on the file server.",
            kbId: "unable-to-connect-to-remote-server",
          },
        ],
        log: [
          {
            level: "Error",
            message: `System.Net.Http.HttpRequestException: An error occurred while sending the request. ---> System.Net.WebException: Unable to connect to the remote server ---> System.Net.Sockets.SocketException: Only one usage of each socket address (protocol/network address/port) is normally permitted ${facts.remoteEndpoint}`,
          },
        ],
        everySeconds: 45,
      };
    case "no-repositories":
      return portalMissing(
        "repositories",
        "Repositories",
        "No repositories are configured",
        "no-repositories-configured",
      );
    case "no-cluster":
      return portalMissing("cluster", "Scanner cluster", "No cluster found", "no-cluster-found");
    case "missing-content-scan-job":
      return portalMissing(
        "content-scan-job",
        "Content scan job",
        "No content scan job found",
        "missing-content-scan-job-or-profile",
        3007,
      );
    case "service-stopped":
      return {
        profile: { ...idle, clusterStatus: "Offline", nodeStatus: "Offline", serviceRunning: false },
        faults: [
          {
            checkId: "service",
            title: "Scanner service",
            status: "error",
            detail: "The scanner service is Stopped; the node does not scan until it is started.",
          },
        ],
        log: [],
        everySeconds: 600,
      };
  }
}
