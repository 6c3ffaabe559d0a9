import type { KnowledgeEntryInput } from "./knowledgeEntry.js";

/**
 * The scanner errors the bot can explain. The first twelve follow the sections of
 * "Resolve issues with information protection scanner deployment" (ids = its heading anchors);
 * the rest are other documented scanner errors and event-log ids. Validated at load by
 * knowledgeBase.ts, so a typo here fails the test run, not a user's request.
 */

const article =
  "https://learn.microsoft.com/troubleshoot/microsoft-365/purview/information-protection-scanner/resolve-deployment-issues";
const articleTitle = "Resolve issues with information protection scanner deployment";
const section = (anchor: string) => ({ title: articleTitle, url: `${article}#${anchor}` });

const setAuthentication = {
  title: "Get a Microsoft Entra token for the scanner",
  url: "https://learn.microsoft.com/purview/deploy-scanner-configure-install#get-an-azure-ad-token-for-the-scanner",
};
const configureInstall = {
  title: "Configure and install the information protection scanner",
  url: "https://learn.microsoft.com/purview/deploy-scanner-configure-install",
};
const knownIssues = {
  title: "Known issues: Azure Information Protection",
  url: "https://learn.microsoft.com/azure/information-protection/known-issues",
};
const customizations = {
  title: "Admin guide: custom configurations for the unified labeling client",
  url: "https://learn.microsoft.com/azure/information-protection/rms-client/clientv2-admin-guide-customizations",
};
const dynamicPorts = {
  title: "Settings that can be modified to improve network performance",
  url: "https://learn.microsoft.com/biztalk/technical-guides/settings-that-can-be-modified-to-improve-network-performance",
};
const labelPolicy = {
  title: "Create and publish sensitivity labels",
  url: "https://learn.microsoft.com/purview/create-sensitivity-labels#publish-sensitivity-labels-by-creating-a-label-policy",
};
/**
 * Words that tie a generic HTTP failure to SharePoint or to throttling: the site's host or API paths, the
 * tools that talk to it, and the throttling headers and codes SharePoint Online sends with a 429 or 503.
 */
const sharePointContext = [
  "sharepoint",
  "/sites/",
  "_api/",
  "_vti_bin",
  "pnp",
  "csom",
  "throttl",
  "retry-after",
  "(429)",
  "toomanyrequests",
  "too many requests",
];

export const scannerErrors: KnowledgeEntryInput[] = [
  {
    id: "authentication-token-not-accepted",
    title: "Authentication token not accepted",
    category: "authentication",
    severity: "error",
    messages: [
      "Microsoft.InformationProtection.Exceptions.AccessDeniedException: The service didn't accept the auth token.",
    ],
    exceptionTypes: ["Microsoft.InformationProtection.Exceptions.AccessDeniedException"],
    signatures: [
      { phrase: "The service didn't accept the auth token", weight: 1, decisive: true },
      { phrase: "Microsoft.InformationProtection.Exceptions.AccessDeniedException", weight: 0.8, decisive: true },
      { phrase: "auth token not accepted", weight: 0.9 },
      { phrase: "token was rejected", weight: 0.6 },
    ],
    meaning:
      "The scanner presented a token, but the service turned it down: Set-AIPAuthentication (Set-Authentication) ran, yet the app registration behind the token lacks the permissions the scanner needs.",
    fix: [
      "In the Microsoft Entra admin center, open the app registration used with Set-AIPAuthentication and check its API permissions (Azure Rights Management Services and Microsoft Information Protection Sync Service).",
      "Grant admin consent for those permissions if it is missing.",
      "Run Set-AIPAuthentication again for the scanner service account (with -OnBehalfOf), then restart the scanner service.",
      "Re-run the diagnostics to confirm the token is now accepted.",
    ],
    commands: ["diagnose {node}", "errors {node}"],
    source: section("authentication-token-not-accepted"),
    seeAlso: [
      {
        title: "Create and configure Microsoft Entra applications for Set-AIPAuthentication",
        url: "https://learn.microsoft.com/azure/information-protection/rms-client/clientv2-admin-guide-powershell#create-and-configure-azure-ad-applications-for-set-aipauthentication",
      },
    ],
  },
  {
    id: "authentication-token-missing",
    title: "Authentication token missing",
    category: "authentication",
    severity: "error",
    messages: [
      "NoAuthTokenException: Client application failed to provide authentication token for HTTP request",
      "Microsoft.InformationProtection.Exceptions.NoAuthTokenException: Client application failed to provide authentication token for HTTP request. Failed with: System.AggregateException: One or more errors occurred. ---> Microsoft.IdentityModel.Clients.ActiveDirectory.AdalException: user_interaction_required",
      "Failed to acquire a token using windows integrated authentication (No SSO)",
      "Policy does not include any automatic labeling condition",
    ],
    exceptionTypes: [
      "Microsoft.InformationProtection.Exceptions.NoAuthTokenException",
      "Microsoft.IdentityModel.Clients.ActiveDirectory.AdalException",
      // The token libraries' own exceptions (ADAL in older clients, MSAL in newer): they corroborate;
      // the AADSTS code or message inside decides (tokenLibraryErrors.ts).
      "Microsoft.IdentityModel.Clients.ActiveDirectory.AdalServiceException",
      "Microsoft.IdentityModel.Clients.ActiveDirectory.AdalSilentTokenAcquisitionException",
      "Microsoft.Identity.Client.MsalServiceException",
      "Microsoft.Identity.Client.MsalUiRequiredException",
      "Microsoft.Identity.Client.MsalClientException",
    ],
    signatures: [
      { phrase: "NoAuthTokenException", weight: 1, decisive: true },
      {
        phrase: "Client application failed to provide authentication token for HTTP request",
        weight: 1,
        decisive: true,
      },
      { phrase: "Failed to acquire a token using windows integrated authentication", weight: 1, decisive: true },
      { phrase: "user_interaction_required", weight: 0.85, decisive: true },
      { phrase: "The PromptBehavior.Never flag was passed", weight: 0.85, decisive: true },
      { phrase: "Policy does not include any automatic labeling condition", weight: 0.9, decisive: true },
      { phrase: "authentication token missing", weight: 0.9 },
      { phrase: "TokenCache is missing", weight: 0.5 },
    ],
    meaning:
      "The scanner runs as a service, without anyone to sign in interactively, and it has no cached token for its service account. Every call to the labeling service then fails.",
    fix: [
      "Sign in to the scanner node with an account that can run elevated PowerShell.",
      "Run Set-AIPAuthentication (Set-Authentication in the Purview client) with -AppId, -AppSecret, -TenantId, -DelegatedUser and -OnBehalfOf set to the scanner service account's credentials.",
      "Check that it prints `Acquired application access token on behalf of <service account>`.",
      "Restart the scanner service so it picks up the new token.",
    ],
    commands: ["diagnose {node}", "errors {node}", "status"],
    source: section("authentication-token-missing"),
    seeAlso: [setAuthentication],
  },
  {
    id: "policy-missing",
    title: "Policy missing",
    category: "policy",
    severity: "error",
    messages: ["Policy is missing"],
    eventIds: [3005],
    signatures: [
      { phrase: "Policy is missing", weight: 1, decisive: true },
      { phrase: "No policies found", weight: 0.9, decisive: true },
      { phrase: "policy file is missing", weight: 0.8 },
      { phrase: "mip.policies.sqlite3", weight: 0.6 },
    ],
    meaning:
      "The scanner cannot find its copy of your sensitivity label policy, the policy file it downloads into the service account's profile.",
    fix: [
      "On the node, check that %localappdata%\\Microsoft\\MSIP\\mip\\MSIP.Scanner.exe\\mip\\mip.policies.sqlite3 exists in the scanner service account's profile.",
      "Make sure a sensitivity label policy is published to the account the scanner uses (the DelegatedUser of Set-AIPAuthentication).",
      "Force a policy refresh with Start-AIPScannerDiagnostics -ResetConfig, or restart the scanner service.",
    ],
    commands: ["diagnose {node}", "errors {node}"],
    source: section("policy-missing"),
    seeAlso: [labelPolicy],
  },
  {
    id: "policy-doesnt-include-automatic-labeling-conditions",
    title: "Policy doesn't include automatic labeling conditions",
    category: "policy",
    severity: "warn",
    messages: ["Policy is missing labeling conditions", "Policy does not include any automatic labeling condition"],
    eventIds: [3002],
    signatures: [
      { phrase: "Policy is missing labeling conditions", weight: 1, decisive: true },
      { phrase: "Policy does not include any automatic labeling condition", weight: 0.9, decisive: true },
      { phrase: "No automatic labeling conditions", weight: 0.9, decisive: true },
      { phrase: "missing automatic labeling conditions", weight: 0.8 },
      { phrase: "labels do not have auto-labeling conditions", weight: 0.9 },
    ],
    meaning:
      "The scanner found your label policy, but nothing in it or in the content scan job tells it which label to apply, so it has nothing to do.",
    fix: [
      "In the content scan job, set Info types to be discovered to All.",
      "In the content scan job, choose a default label to apply when scanning (or turn on Treat recommended labeling as automatic).",
      "In the Purview portal, give the label policy a default label and configure automatic or recommended labeling conditions.",
      "If all of that is already set, the policy file may be missing or was not downloaded (for example after a portal timeout): check mip.policies.sqlite3 as for Policy missing.",
    ],
    commands: ["diagnose {node}", "status"],
    source: section("policy-doesnt-include-automatic-labeling-conditions"),
    seeAlso: [
      {
        title: "Apply a sensitivity label to content automatically",
        url: "https://learn.microsoft.com/purview/apply-sensitivity-label-automatically",
      },
      configureInstall,
    ],
  },
  {
    id: "database-errors",
    title: "Database errors",
    category: "database",
    severity: "error",
    messages: ["DB error"],
    eventIds: [3003],
    signatures: [
      { phrase: "DB error", weight: 1, decisive: true },
      { phrase: "Database error", weight: 0.8, decisive: true },
      { phrase: "cannot access the configuration database", weight: 0.8 },
      { phrase: "Cannot open database AIPScannerUL", weight: 0.8 },
      { phrase: "Login failed for user", weight: 0.5 },
      {
        phrase: "A network-related or instance-specific error occurred while establishing a connection to SQL Server",
        weight: 0.9,
      },
      { phrase: "A transport-level error has occurred", weight: 0.6 },
      // Named Pipes error 40 and SQL Server error 4060, as SqlClient and SQL Server word them.
      {
        phrase: "Could not open a connection to SQL Server",
        weight: 0.8,
        source:
          "https://learn.microsoft.com/troubleshoot/sql/database-engine/connect/network-related-or-instance-specific-error-occurred-while-establishing-connection",
      },
      {
        phrase: "requested by the login. The login failed",
        weight: 0.75,
        source: "https://learn.microsoft.com/azure/azure-sql/database/troubleshoot-common-errors-issues",
      },
      // Error 18456 is SQL Server's failed login in every language; the number counts beside a login word.
      {
        phrase: "18456",
        weight: 0.7,
        source:
          "https://learn.microsoft.com/sql/relational-databases/errors-events/mssqlserver-18456-database-engine-error",
        onlyWith: [
          "login",
          "logon",
          "anmeld",
          "connexion",
          "session",
          "sesión",
          "accesso",
          "вход",
          "登入",
          "登录",
          "ログイン",
          "로그인",
          "aanmeld",
          "sql",
        ],
      },
      { phrase: "SqlException", weight: 0.5 },
    ],
    meaning:
      "The scanner cannot reach its SQL Server configuration database (AIPScannerUL_<cluster>), or its service account is not allowed in.",
    fix: [
      "From the node, check the network path to the SQL Server instance (name, instance, port, firewall).",
      "Check that the SQL Server service is running and the AIPScannerUL_<cluster> database is online.",
      "Check that the scanner service account has a login on the instance and is db_owner of the scanner database.",
      "Restart the scanner service once the database is reachable.",
    ],
    commands: ["diagnose {node}", "errors {node}", "status"],
    source: section("database-errors"),
  },
  {
    id: "mismatched-or-outdated-schema",
    title: "Mismatched or outdated schema",
    category: "database",
    severity: "error",
    messages: [
      "SchemaMismatchException",
      "DB schema is not up to date. Run Update-AIPScanner command to update the DB schema",
      "Error: DB schema is not up to date",
    ],
    exceptionTypes: ["SchemaMismatchException"],
    eventIds: [3004],
    signatures: [
      { phrase: "SchemaMismatchException", weight: 1, decisive: true },
      { phrase: "DB schema is not up to date", weight: 1, decisive: true },
      { phrase: "Run Update-AIPScanner command to update the DB schema", weight: 1, decisive: true },
      { phrase: "Run Update-ScannerDatabase command", weight: 1, decisive: true },
      { phrase: "Database schema error", weight: 0.9, decisive: true },
      { phrase: "schema mismatch", weight: 0.8 },
      { phrase: "outdated schema", weight: 0.8 },
    ],
    meaning:
      "The scanner's configuration database still has the schema of an older scanner version, usually right after the client was upgraded.",
    fix: [
      "Stop the scanner service on every node of the cluster.",
      "On one node, as an account that is db_owner of the scanner database, run Update-AIPScanner (Update-ScannerDatabase in the Purview client).",
      "Start the scanner services again.",
      "Make Update-AIPScanner part of every scanner upgrade.",
    ],
    commands: ["diagnose {node}", "status"],
    source: section("mismatched-or-outdated-schema"),
  },
  {
    id: "underlying-connection-was-closed",
    title: "Underlying connection was closed (TLS 1.2)",
    category: "network",
    severity: "error",
    messages: [
      "System.Net.WebException: The underlying connection was closed: An unexpected error occurred on a send. ---> System.IO.IOException: Authentication failed because the remote party has closed the transport stream.",
      "System.Net.Http.HttpRequestException: An error occurred while sending the request. ---> System.Net.WebException: The underlying connection was closed: An unexpected error occurred on a send. ---> System.IO.IOException: Unable to read data from the transport connection: An existing connection was forcibly closed by the remote host. ---> System.Net.Sockets.SocketException: An existing connection was forcibly closed by the remote host.",
    ],
    exceptionTypes: ["System.Net.WebException", "System.IO.IOException", "System.Net.Sockets.SocketException"],
    signatures: [
      { phrase: "The underlying connection was closed: An unexpected error occurred on a send", weight: 0.9 },
      { phrase: "Authentication failed because the remote party has closed the transport stream", weight: 1 },
      // WinSock 10054 on its own says nothing about TLS; it only supports the send/transport wording.
      { phrase: "An existing connection was forcibly closed by the remote host", weight: 0.5 },
      { phrase: "Unable to read data from the transport connection", weight: 0.7 },
      { phrase: "An unexpected error occurred on a send", weight: 0.8 },
      // The outer wrapper of the second documented trace; on its own it says nothing about TLS.
      { phrase: "An error occurred while sending the request", weight: 0.5 },
      { phrase: "TLS 1.2 is not enabled", weight: 0.8 },
      // The same failed handshake in .NET's and SChannel's other words.
      {
        phrase: "Could not create SSL/TLS secure channel",
        weight: 0.9,
        source: "https://learn.microsoft.com/dotnet/framework/network-programming/tls",
      },
      {
        phrase: "The client and server cannot communicate, because they do not possess a common algorithm",
        weight: 0.9,
        source: "https://github.com/win-acme/win-acme/issues/267 (SChannel SEC_E_ALGORITHM_MISMATCH)",
      },
      // The same .NET messages on German and French Windows.
      {
        phrase: "Die zugrunde liegende Verbindung wurde geschlossen: Unerwarteter Fehler beim Senden",
        weight: 0.9,
        lang: "de",
        source: 'GitHub code search for "Die zugrunde liegende Verbindung wurde geschlossen"',
      },
      {
        phrase: "Fehler bei der Authentifizierung, da die Gegenseite den Transportstream geschlossen hat",
        weight: 1,
        lang: "de",
        source: 'GitHub code search for "da die Gegenseite den Transportstream geschlossen" (German ATA docs)',
      },
      {
        phrase: "Die Authentifizierung ist fehlgeschlagen, da die Gegenseite den Transportstream geschlossen hat",
        weight: 1,
        lang: "de",
        source: "earlier tuning round; wording not confirmed by a public paste (the confirmed one is above)",
      },
      {
        phrase: "La connexion sous-jacente a été fermée : Une erreur inattendue s'est produite lors d'un envoi",
        weight: 0.9,
        lang: "fr",
        source: 'GitHub code search for "La connexion sous-jacente a été fermée" (French Microsoft 365 and ATA docs)',
      },
    ],
    meaning:
      "The TLS handshake with the cloud service fails because TLS 1.2 is not enabled for .NET on the node, so the service hangs up on the scanner.",
    fix: [
      "On the node, set SchUseStrongCrypto=1 and SystemDefaultTlsVersions=1 under HKLM\\SOFTWARE\\Microsoft\\.NETFramework\\v4.0.30319 and under its WOW6432Node twin.",
      "Make sure TLS 1.2 is enabled for clients in SChannel (Protocols\\TLS 1.2\\Client: Enabled=1, DisabledByDefault=0).",
      "Check that no proxy or firewall downgrades or inspects TLS to the scanner's endpoints (aadrm.com must not be inspected).",
      "Restart the node (or at least the scanner service) so .NET picks up the change.",
    ],
    commands: ["diagnose {node}", "errors {node}"],
    source: section("underlying-connection-was-closed"),
    seeAlso: [
      {
        title: "How to enable TLS 1.2 on clients",
        url: "https://learn.microsoft.com/mem/configmgr/core/plan-design/security/enable-tls-1-2-client",
      },
      {
        title: "Firewalls and network infrastructure requirements",
        url: "https://learn.microsoft.com/azure/information-protection/requirements#firewalls-and-network-infrastructure",
      },
    ],
  },
  {
    id: "stuck-scanner-processes",
    title: "Stuck scanner processes",
    category: "scanning",
    severity: "warn",
    messages: ["There's no error message displayed but the scanner times out."],
    signatures: [
      { phrase: "scanner times out", weight: 0.8 },
      { phrase: "scanner timed out", weight: 0.8 },
      { phrase: "scanner is stuck", weight: 0.8 },
      { phrase: "scanner stuck", weight: 0.8 },
      { phrase: "stuck scanner", weight: 0.8 },
      { phrase: "scan is stuck", weight: 0.8 },
      { phrase: "scanner hangs", weight: 0.7 },
      { phrase: "scan never finishes", weight: 0.7 },
      { phrase: "stuck on a single file", weight: 0.7 },
      // SharePoint repositories: large lists and throttling stall the scan the same way.
      {
        phrase: "The attempted operation is prohibited because it exceeds the list view threshold",
        weight: 0.85,
        source: "https://github.com/pnp/modernization/issues/443",
      },
      {
        phrase: "exceeds the list view threshold",
        weight: 0.8,
        source: "https://github.com/OneDrive/onedrive-api-docs/issues/1510",
      },
      { phrase: "SPQueryThrottledException", weight: 0.8, source: "https://github.com/pnp/modernization/issues/443" },
      {
        phrase: "The remote server returned an error: (429)",
        weight: 0.7,
        source: "https://github.com/SharePoint/sp-dev-docs/issues/1600",
      },
      {
        // A bare HTTP status line: every rate-limited API sends it (Azure Resource Manager, Graph mail), so it needs
        // SharePoint itself in the paste, not just throttling words.
        phrase: "429 Too Many Requests",
        weight: 0.7,
        source: "https://github.com/SharePoint/sp-dev-docs/issues/10069",
        onlyWith: ["sharepoint", "/sites/", "_api/", "_vti_bin", "pnp", "csom", "onedrive"],
      },
      {
        // Any web server answers 503; it is SharePoint's throttling only when the paste is about SharePoint.
        phrase: "The remote server returned an error: (503) Server Unavailable",
        weight: 0.6,
        source: "https://github.com/SharePoint/sp-dev-docs/issues/4744",
        onlyWith: sharePointContext,
      },
      {
        // SharePoint Online's REST answer when it sheds load, as a browser or PnPjs shows it ("HTTP503: SERVICE UNAVAILABLE").
        phrase: "Service Unavailable",
        weight: 0.6,
        source: "https://github.com/SharePoint/sp-dev-docs/issues/4928",
        onlyWith: sharePointContext,
      },
    ],
    meaning:
      "The scanner has spent far longer than expected on one file, or stopped in the middle of a large repository, without logging an error. With SharePoint repositories, throttling (HTTP 429/503) and lists over the list view threshold stall it the same way.",
    fix: [
      "Check whether the newest detailed report (DetailedReport_*.csv) is still growing: if it is, the scanner is working, so wait.",
      "If it stopped growing, collect evidence: run Start-AIPScannerDiagnostics and Export-AIPLogs, and create a dump of the MSIP.Scanner process from Task Manager.",
      "Stop the scan (portal or Stop-AIPScan), then restart the scanner service on the node.",
      "To prevent it, raise the dynamic port range on the server hosting the files and, for large SharePoint farms, the list view threshold (default 5,000).",
      "If SharePoint answers 429 or 503 (throttling) or refuses a query over the list view threshold, scan fewer or smaller libraries at a time, index large lists or raise the threshold on SharePoint Server; SharePoint Online throttles per app, so avoid running other bulk tools with the same account meanwhile.",
      "If it keeps happening, open a support ticket with the dump.",
    ],
    commands: ["status", "diagnose {node}", "errors {node}"],
    source: section("stuck-scanner-processes"),
    seeAlso: [
      dynamicPorts,
      {
        title: "Manage large lists and libraries in SharePoint",
        url: "https://support.microsoft.com/office/manage-large-lists-and-libraries-b8588dae-9387-48c2-9248-c24122f07c59",
      },
    ],
  },
  {
    id: "unable-to-connect-to-remote-server",
    title: "Unable to connect to remote server (port exhaustion)",
    category: "network",
    severity: "error",
    messages: [
      "Unable to connect to the remote server ---> System.Net.Sockets.SocketException: Only one usage of each socket address (protocol/network address/port) is normally permitted IP:port",
    ],
    exceptionTypes: ["System.Net.Sockets.SocketException"],
    signatures: [
      {
        phrase: "Only one usage of each socket address (protocol/network address/port) is normally permitted",
        weight: 1,
      },
      // The same socket error on German Windows.
      { phrase: "Unable to connect to the remote server", weight: 0.6 },
      { phrase: "dynamic ports exhausted", weight: 0.8 },
      { phrase: "port exhaustion", weight: 0.8 },
    ],
    meaning:
      "The scanner opened more network connections than the operating system had dynamic ports for, so new connections fail.",
    fix: [
      "Check the current range with `netsh int ipv4 show dynamicport tcp` (default start 49152, 16384 ports).",
      "Raise it on the server hosting the files, e.g. `netsh int ipv4 set dynamicport tcp start=10000 num=55535`.",
      "Count TIME_WAIT connections (`netstat -ano`) to confirm the exhaustion is gone after the change.",
    ],
    commands: ["errors {node}", "diagnose {node}"],
    source: section("unable-to-connect-to-remote-server"),
    seeAlso: [dynamicPorts],
  },
  {
    id: "missing-content-scan-job-or-profile",
    title: "Missing content scan job or profile",
    category: "configuration",
    severity: "error",
    messages: ["No content scan job found"],
    eventIds: [3007],
    signatures: [
      { phrase: "No content scan job found", weight: 1, decisive: true },
      { phrase: "No content scan jobs found", weight: 1, decisive: true },
      { phrase: "content scan job not found", weight: 0.9 },
      { phrase: "profile not found", weight: 0.6 },
    ],
    meaning:
      "The scanner's cluster has no content scan job (called a profile in older versions), so it does not know what to scan.",
    fix: [
      "In the Purview portal (or Azure portal), open the scanner settings and check that a content scan job exists for this cluster.",
      "Create one, or attach the existing job to the right cluster.",
      "Restart the scanner service or wait for the next configuration sync.",
    ],
    commands: ["status", "diagnose {node}"],
    source: section("missing-content-scan-job-or-profile"),
    seeAlso: [configureInstall],
  },
  {
    id: "no-repositories-configured",
    title: "No repositories configured",
    category: "configuration",
    severity: "warn",
    messages: ["No repositories are configured"],
    signatures: [
      { phrase: "No repositories are configured", weight: 1, decisive: true },
      { phrase: "no repositories configured", weight: 1, decisive: true },
    ],
    meaning: "The content scan job exists but lists no file share or SharePoint location to scan.",
    fix: [
      "Open the content scan job in the portal.",
      "Add at least one repository (file share path or SharePoint URL) and save.",
      "Start a scan and check that the repository shows up as Pending or Scanning.",
    ],
    commands: ["status"],
    source: section("no-repositories-configured"),
    seeAlso: [
      {
        title: "Create a content scan job",
        url: "https://learn.microsoft.com/purview/deploy-scanner-configure-install#configure-the-scanner-settings",
      },
    ],
  },
  {
    id: "no-cluster-found",
    title: "No cluster found",
    category: "configuration",
    severity: "error",
    messages: ["No cluster found"],
    signatures: [
      { phrase: "No cluster found", weight: 1, decisive: true },
      { phrase: "cluster not found", weight: 0.8 },
    ],
    meaning:
      "The cluster name the scanner was installed with does not match any scanner cluster defined in the portal.",
    fix: [
      "Compare the cluster name from Get-AIPScannerConfiguration on the node with the clusters in the portal.",
      "Fix the typo on the side that is wrong (create the cluster in the portal, or reinstall the scanner with the right -Cluster).",
      "Restart the scanner service.",
    ],
    commands: ["status", "diagnose {node}"],
    source: section("no-cluster-found"),
    seeAlso: [
      {
        title: "Create a scanner cluster",
        url: "https://learn.microsoft.com/purview/deploy-scanner-configure-install#configure-the-scanner-settings",
      },
    ],
  },
  {
    id: "scanner-unknown-error",
    title: "Unknown scanner error (event 3001)",
    category: "scanning",
    severity: "error",
    messages: ["Unknown error"],
    eventIds: [3001],
    signatures: [{ phrase: "Unknown error", weight: 0.45 }],
    meaning:
      "The scanner logged an error it does not classify. The event itself says little: the detail is in the scanner log.",
    fix: [
      "Read the scanner's recent errors (MSIPScanner.iplog in the service account's %localappdata%\\Microsoft\\MSIP\\Logs).",
      "Run Start-AIPScannerDiagnostics -Verbose to print the last errors and check the deployment.",
      "Paste the error text from the log here to get a specific explanation.",
    ],
    commands: ["errors {node}", "diagnose {node}"],
    source: {
      title: "Scanner event log ids (usage logging)",
      url: "https://learn.microsoft.com/azure/information-protection/rms-client/clientv2-admin-guide-files-and-logging",
    },
  },
  {
    id: "dlp-policy-missing",
    title: "No DLP policies found (event 3006)",
    category: "policy",
    severity: "error",
    messages: ["No DLP policies found"],
    eventIds: [3006],
    signatures: [
      { phrase: "No DLP policies found", weight: 1, decisive: true },
      { phrase: "No DLP policy found", weight: 1, decisive: true },
      { phrase: "Enable DLP policy rules", weight: 0.5 },
    ],
    meaning:
      "The content scan job has Enable DLP policy rules turned on, but no DLP policy covers on-premises repositories, so the scanner reports errors.",
    fix: [
      "Create a DLP policy that includes the on-premises repositories location, or",
      "turn off Enable DLP policy rules in the content scan job if you do not use DLP with the scanner.",
      "Restart the scanner service or wait for the next policy refresh (every 4 hours).",
    ],
    commands: ["diagnose {node}", "status"],
    source: {
      title: "Get started with the data loss prevention on-premises repositories",
      url: "https://learn.microsoft.com/purview/dlp-on-premises-scanner-get-started",
    },
  },
  {
    id: "unable-to-authenticate-and-set-up",
    title: "Unable to authenticate and set up the scanner",
    category: "authentication",
    severity: "error",
    messages: [
      "Unable to authenticate and set up Microsoft Azure Information Protection",
      "Set-AIPAuthentication : Unable to authenticate and setup Microsoft Azure Information Protection",
    ],
    signatures: [
      { phrase: "Unable to authenticate and set up Microsoft Azure Information Protection", weight: 1, decisive: true },
      { phrase: "Unable to authenticate and setup Microsoft Azure Information Protection", weight: 1, decisive: true },
      { phrase: "Unable to authenticate and set up", weight: 0.85, decisive: true },
      { phrase: "Unable to authenticate and setup", weight: 0.85, decisive: true },
    ],
    meaning:
      "Set-AIPAuthentication could not get a token. Scanner 2.16.73 had a known MSAL sign-in bug that causes it; wrong app, tenant or cloud settings cause it too.",
    fix: [
      "Check the -AppId, -AppSecret, -TenantId and -DelegatedUser values (the secret may have expired).",
      "On scanner 2.16.73, add the DWORD AuthenticateUsingAdal=1 under HKLM\\SOFTWARE\\WOW6432Node\\Microsoft\\MSIP, or upgrade the client.",
      "For 21Vianet (China) tenants, set HKLM\\SOFTWARE\\Microsoft\\MSIPC\\CloudEnvType=6 before authenticating.",
      "Run Set-AIPAuthentication again and restart the scanner service.",
    ],
    commands: ["diagnose {node}"],
    source: knownIssues,
    seeAlso: [setAuthentication],
  },
  {
    id: "powershell-7-not-supported",
    title: "Scanner cmdlets fail in PowerShell 7",
    category: "powershell",
    severity: "warn",
    messages: ["Object reference not set to an instance of an object"],
    exceptionTypes: ["System.NullReferenceException"],
    signatures: [
      { phrase: "Object reference not set to an instance of an object", weight: 0.55 },
      { phrase: "PowerShell 7", weight: 0.3 },
      { phrase: "pwsh", weight: 0.3 },
      // PowerShell 7's warning when it loads a Windows PowerShell-only module (such as the scanner's) by remoting:
      // its objects come back deserialized, which is what makes the scanner cmdlets fail.
      {
        phrase: "is loaded in Windows PowerShell using WinPSCompatSession remoting session",
        weight: 0.65,
        source:
          "https://learn.microsoft.com/powershell/module/microsoft.powershell.core/about/about_windows_powershell_compatibility",
      },
    ],
    meaning:
      "The AIP and Purview scanner cmdlets only run in Windows PowerShell 5.1; in PowerShell 7 they fail with a null-reference error. The same text can also be an ordinary bug inside the scanner, so check where it came from.",
    fix: [
      "If the error came from running a cmdlet, open Windows PowerShell 5.1 (powershell.exe, not pwsh.exe) as administrator and run it again.",
      "If it is in the scanner's own log, read the surrounding lines: it is then a scanner fault, not a PowerShell one.",
    ],
    commands: ["errors {node}"],
    source: knownIssues,
  },
  {
    id: "content-extraction-timeout",
    title: "Content extraction timed out (GetContentParts failed)",
    category: "scanning",
    severity: "warn",
    messages: ["GetContentParts failed", "The operation was canceled"],
    signatures: [
      { phrase: "GetContentParts failed", weight: 1, decisive: true },
      { phrase: "GetContentParts", weight: 0.8, decisive: true },
      { phrase: "The operation was canceled", weight: 0.5 },
      { phrase: "ContentExtractionTimeout", weight: 0.8 },
    ],
    meaning:
      "The scanner gave up extracting the text of one file after the content-extraction timeout (15 minutes by default) and moved on.",
    fix: [
      "Find the file in the detailed report; very large or complex files are the usual cause.",
      "If such files are expected, raise the ContentExtractionTimeout advanced setting (hh:mm:ss) of the scanner's label policy.",
      "Otherwise exclude the file type or the folder from the content scan job.",
    ],
    commands: ["errors {node}", "status"],
    source: customizations,
  },
  {
    id: "file-processing-timeout",
    title: "File processing timed out (operation canceled)",
    category: "scanning",
    severity: "warn",
    messages: ["The operation was canceled"],
    signatures: [
      { phrase: "The operation was canceled", weight: 0.5 },
      { phrase: "The operation was cancelled", weight: 0.5 },
      { phrase: "FileProcessingTimeout", weight: 0.8 },
    ],
    meaning:
      "The scanner stopped working on one file after the per-file processing timeout (30 minutes by default); the portal can look stopped meanwhile.",
    fix: [
      "Find the file in the detailed report (.csv) and the iplog.",
      "If such files are expected, raise the FileProcessingTimeout advanced setting (hh:mm:ss) of the scanner's label policy.",
      "Otherwise exclude the file type or folder from the content scan job.",
    ],
    commands: ["errors {node}", "status"],
    source: customizations,
  },
  {
    id: "file-path-too-long",
    title: "File path too long (0x80070002 Could not find file)",
    category: "scanning",
    severity: "warn",
    messages: ["Error: HResult: 0x80070002 - Could not find file"],
    signatures: [
      { phrase: "HResult: 0x80070002 - Could not find file", weight: 1, decisive: true },
      { phrase: "0x80070002", weight: 0.6 },
      { phrase: "Could not find file", weight: 0.4 },
      { phrase: "path too long", weight: 0.6 },
      // .NET's own exception for the same limit, thrown before Windows is even asked for the file.
      {
        phrase: "The specified path, file name, or both are too long",
        weight: 0.85,
        source: "https://learn.microsoft.com/dotnet/api/system.io.pathtoolongexception",
      },
      { phrase: "System.IO.PathTooLongException", weight: 0.8 },
    ],
    meaning:
      "The file's full path is longer than 260 characters and Win32 long paths are not enabled on the node, so Windows reports the file as missing.",
    fix: [
      "On Windows Server 2016 or later, enable Win32 long paths (group policy or LongPathsEnabled=1 under HKLM\\SYSTEM\\CurrentControlSet\\Control\\FileSystem).",
      "Restart the scanner service.",
      "On older Windows, shorten the paths or map a deeper folder as its own repository.",
    ],
    commands: ["errors {node}"],
    source: {
      title: "Scanner prerequisites: file path requirements",
      url: "https://learn.microsoft.com/purview/deploy-scanner-prereqs#file-path-requirements",
    },
  },
  {
    id: "repository-cmdlet-deprecated",
    title: "Repository cmdlets are deprecated",
    category: "powershell",
    severity: "info",
    messages: ["WARNING: This cmdlet is deprecated. Please use Azure portal to manage scanned repositories."],
    signatures: [
      { phrase: "This cmdlet is deprecated. Please use Azure portal to manage scanned repositories", weight: 1 },
      { phrase: "Please use Azure portal to manage scanned repositories", weight: 0.9 },
    ],
    meaning:
      "The scanner is configured in the portal, so the repository cmdlets (Add-, Set-, Remove-AIPScannerRepository) no longer change anything.",
    fix: ["Manage the repositories in the content scan job in the portal instead."],
    commands: ["status"],
    source: configureInstall,
  },
  {
    id: "scanner-cmdlet-not-found",
    title: "Scanner cmdlet not found",
    category: "powershell",
    severity: "warn",
    messages: [
      "The term 'Install-AIPScanner' is not recognized as the name of a cmdlet, function, script file, or operable program.",
    ],
    matchMessages: false,
    signatures: [
      // Any cmdlet can be missing; only a scanner cmdlet's name next to it makes this entry.
      { phrase: "is not recognized as the name of a cmdlet", weight: 0.55 },
      // PowerShell 7 words it "as a name of a cmdlet, function, script file, or executable program".
      {
        phrase: "is not recognized as a name of a cmdlet",
        weight: 0.55,
        source: "PowerShell/PowerShell src/System.Management.Automation/resources/DiscoveryExceptions.resx",
      },
      // The scanner cmdlets by both names: sectionWordings.ts.
    ],
    meaning:
      "The scanner's PowerShell module is not loaded in this session (it auto-loads only for the user who installed it), or this client version has no such cmdlet.",
    fix: [
      'Import it: Import-Module "C:\\Program Files (x86)\\Microsoft Azure Information Protection\\powershell\\AzureInformationProtection\\AzureInformationProtection.psd1".',
      "With the Purview client, use the new cmdlet names (Install-Scanner, Start-Scan, Get-ScanStatus …).",
      "Check the client version if the cmdlet is still missing (Stop-AIPScan, for example, did not exist in early versions).",
    ],
    commands: [],
    source: {
      title: "AzureInformationProtection PowerShell reference",
      url: "https://learn.microsoft.com/powershell/module/azureinformationprotection/",
    },
  },
  {
    id: "label-policy-empty",
    title: "Label policy did not contain data (NoPolicyException)",
    category: "policy",
    severity: "error",
    messages: ["NoPolicyException: Label policy did not contain data", "NoPolicyError.Category=SyncFile"],
    exceptionTypes: ["NoPolicyException"],
    signatures: [
      { phrase: "NoPolicyException", weight: 1, decisive: true },
      { phrase: "Label policy did not contain data", weight: 1, decisive: true },
      { phrase: "NoPolicyError.Category=SyncFile", weight: 0.9, decisive: true },
      {
        // The MIP SDK reference's description of the exception, as an admin quotes it.
        phrase: "The exception thrown when no policy is configured for user/tenant",
        weight: 0.8,
        source: "https://learn.microsoft.com/dotnet/api/microsoft.informationprotection.exceptions.nopolicyexception",
      },
    ],
    meaning:
      "The account the scanner signs in as (the DelegatedUser) has no sensitivity label policy published to it, so the downloaded policy is empty.",
    fix: [
      "In the Purview portal, publish a label policy that includes the scanner's DelegatedUser account (or a group it belongs to).",
      "Wait for the policy to replicate, then refresh with Start-AIPScannerDiagnostics -ResetConfig or restart the scanner service.",
    ],
    commands: ["diagnose {node}"],
    source: labelPolicy,
  },
  {
    id: "service-discovery-failed",
    title: "Service discovery failed (cannot compute domain)",
    category: "authentication",
    severity: "error",
    messages: [
      "ServiceDiscoveryHelper::GetServiceDetails - Cannot compute domain: license domains, identity, and cloud endpoint base URL are all empty",
    ],
    signatures: [
      { phrase: "Cannot compute domain", weight: 1, decisive: true },
      { phrase: "ServiceDiscoveryHelper::GetServiceDetails", weight: 0.9, decisive: true },
      { phrase: "cloud endpoint base URL are all empty", weight: 0.9, decisive: true },
    ],
    meaning:
      "The protection SDK could not work out which cloud endpoint to use because it has no signed-in identity: the scanner's token or delegated user is missing.",
    fix: [
      "Run Set-AIPAuthentication with -DelegatedUser and -OnBehalfOf for the scanner service account.",
      "Restart the scanner service and run the diagnostics again.",
    ],
    commands: ["diagnose {node}"],
    source: setAuthentication,
  },
  {
    id: "token-cache-missing",
    title: "Token cache is missing",
    category: "authentication",
    severity: "error",
    messages: ["TokenCache is missing"],
    signatures: [
      { phrase: "TokenCache is missing", weight: 1, decisive: true },
      { phrase: "token cache is missing", weight: 1, decisive: true },
    ],
    meaning:
      "No token is cached in the scanner service account's profile, typically because Set-AIPAuthentication ran as another user without -OnBehalfOf.",
    fix: [
      "Run Set-AIPAuthentication (Set-Authentication) again with -OnBehalfOf set to the scanner service account's credentials, in an elevated session.",
      "Restart the scanner service.",
    ],
    commands: ["diagnose {node}"],
    source: setAuthentication,
  },
];
