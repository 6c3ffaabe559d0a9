import type { SignatureInput } from "./knowledgeEntry.js";

/**
 * Other wordings of the errors the knowledge base already covers, as admins meet them outside the
 * article: the warnings `Get-ScannerRepository` and lab scripts print before a content scan job is
 * synced, SharePoint and Microsoft Graph throttling, the MIP SDK's policy exceptions, and the scanner
 * cmdlets by their AIP and Purview names (issue 16, round 2); the article's own description sentences
 * (round 3). Each wording cites where it was seen.
 */

const lab =
  "https://github.com/marcusjacobson/Projects/blob/main/Microsoft/Purview/Purview-Skills-Ramp-OnPrem-and-Cloud/02-OnPrem-Scanning/OnPrem-02-Discovery-Scans/";
const mipQuickstart = "https://learn.microsoft.com/information-protection/develop/quick-app-initialization-cpp";
const mipKnownIssues = "https://learn.microsoft.com/information-protection/develop/faqs-known-issues";
const aipCmdlets = "https://learn.microsoft.com/powershell/module/azureinformationprotection/";
const purviewCmdlets = "https://learn.microsoft.com/powershell/module/purviewinformationprotection/";

/**
 * Scanner cmdlets in both module generations (Azure/azure-docs-powershell-aip, both folders). On its
 * own a name says nothing; next to "is not recognized" or a PowerShell 7 null reference it tells
 * whose cmdlet failed.
 */
const aipNames = [
  "Install-AIPScanner",
  "Uninstall-AIPScanner",
  "Start-AIPScan",
  "Stop-AIPScan",
  "Start-AIPScannerDiagnostics",
  "Get-AIPScannerStatus",
  "Set-AIPAuthentication",
  "Update-AIPScanner",
  "Get-AIPScannerConfiguration",
  "Set-AIPScannerConfiguration",
  "Import-AIPScannerConfiguration",
  "Get-AIPScannerRepository",
  "Get-AIPScannerContentScanJob",
  "Export-AIPLogs",
];
const purviewNames = [
  "Install-Scanner",
  "Uninstall-Scanner",
  "Start-Scan",
  "Stop-Scan",
  "Start-ScannerDiagnostics",
  "Get-ScanStatus",
  "Set-Authentication",
  "Update-ScannerDatabase",
  "Get-ScannerConfiguration",
  "Set-ScannerConfiguration",
  "Import-ScannerConfiguration",
  "Get-ScannerRepository",
  "Get-ScannerContentScan",
  "Export-DebugLogs",
];

/** Each scanner cmdlet name as weak corroborating evidence, citing its reference. */
export const scannerCmdletNames: SignatureInput[] = [
  ...aipNames.map((phrase) => ({ phrase, weight: 0.25, source: aipCmdlets })),
  ...purviewNames.map((phrase) => ({ phrase, weight: 0.25, source: purviewCmdlets })),
  // As admins type it: the camel-case split makes "AIPSCan" other words than "AIPScan".
  { phrase: "Stop-AIPSCan", weight: 0.25, source: "https://github.com/MicrosoftDocs/Azure-RMSDocs/issues/1117" },
];

const article =
  "https://learn.microsoft.com/troubleshoot/microsoft-365/purview/information-protection-scanner/resolve-deployment-issues (the section's Description)";

/** The article's own description of a section: an admin quoting what the error means. */
const description = (phrase: string): SignatureInput => ({ phrase, weight: 0.7, source: article });

/** Extra signatures by entry id; merged into the entries when the knowledge base loads. */
export const sectionWordings: Record<string, SignatureInput[]> = {
  "unable-to-connect-to-remote-server": [
    description("The scanner has exceeded the number of allowed network connections"),
  ],
  "policy-missing": [description("The scanner is unable to find your sensitivity label policy file")],
  "policy-doesnt-include-automatic-labeling-conditions": [
    description("The labeling policy is missing automatic labeling conditions"),
  ],
  "database-errors": [description("The scanner is not able to connect to the database")],
  "no-cluster-found": [description("No actual match found for one of the scanner clusters you've defined")],
  "missing-content-scan-job-or-profile": [
    description("This error occurs when the content scan job or profile can't be found"),
    { phrase: "No content scan job defined", weight: 1, decisive: true, source: `${lab}README.md` },
    // The lab's heading names both causes; the two entries then answer together.
    { phrase: "No content scan job or repositories defined", weight: 0.9, source: `${lab}README.md` },
  ],
  "no-repositories-configured": [
    { phrase: "No content scan job or repositories defined", weight: 0.9, source: `${lab}README.md` },
    // Generic words: a "possible" match alone, a match only with a repository cmdlet on another line.
    { phrase: "No repositories found", weight: 0.55, source: `${lab}Start-InitialScan.ps1` },
    description("You may have a content scan job with no repositories configured"),
    // The same lab's cause line when Get-ScannerRepository returns nothing.
    { phrase: "Repositories not added to content scan job", weight: 0.8, source: `${lab}Start-InitialScan.ps1` },
    { phrase: "Get-ScannerRepository", weight: 0.25, source: purviewCmdlets },
    { phrase: "Get-AIPScannerRepository", weight: 0.25, source: aipCmdlets },
  ],
  "stuck-scanner-processes": [
    description("The scanner is processing a single file for a longer time than expected"),
    {
      phrase: "The request has been throttled",
      weight: 0.6,
      source: 'GitHub code search for "The request has been throttled" (Microsoft Graph throttling responses)',
    },
    {
      phrase: "activityLimitReached",
      weight: 0.7,
      source: 'GitHub code search for "The request has been throttled" (Graph error code with TooManyRequests)',
    },
    {
      // Graph's and SharePoint's error code, written as one word: other Graph APIs send it too, so only beside SharePoint.
      phrase: "TooManyRequests",
      weight: 0.6,
      source: 'GitHub code search for "The request has been throttled" (Graph error code)',
      onlyWith: ["sharepoint", "/sites/", "_api/", "pnp", "csom", "onedrive"],
    },
    { phrase: "TooManyRequest errors", weight: 0.6, source: "https://github.com/pnp/PnP-PowerShell/issues/2579" },
    { phrase: "SharePoint throttling", weight: 0.85, source: "https://github.com/SharePoint/sp-dev-docs/issues/1851" },
    { phrase: "CSOM throttling", weight: 0.8, source: "https://github.com/SharePoint/sp-dev-docs/issues/1745" },
    {
      phrase: "HTTP request returned status code 429",
      weight: 0.6,
      source: 'GitHub code search for "The request has been throttled" (OneDrive client log)',
    },
  ],
  "authentication-token-not-accepted": [
    // mip::PolicySyncException when the service rejects the token: 401 invalid_token.
    { phrase: "OAuth token submitted with the request cannot be parsed", weight: 0.9, source: mipQuickstart },
    { phrase: "OAuth token submitted with the request can not be parsed", weight: 0.9, source: mipQuickstart },
    { phrase: "is the access token incorrect/expired", weight: 0.6, source: mipQuickstart },
  ],
  "label-policy-empty": [
    {
      phrase: "Tenant policy is not configured for classification/labels",
      weight: 0.9,
      decisive: true,
      source: "https://learn.microsoft.com/information-protection/develop/reference/class_mip_nopolicyerror",
    },
    {
      phrase: "NoPolicyError",
      weight: 0.8,
      decisive: true,
      source: "https://learn.microsoft.com/information-protection/develop/reference/class_mip_nopolicyerror",
    },
    // "Tag not found : policy" is the empty policy; other parser errors (a label's empty
    // description) are not, so the outer sentence alone stays below a match.
    { phrase: "Tag not found : policy", weight: 0.8, source: mipKnownIssues },
    { phrase: "Failed to parse the acquired Compliance Policy", weight: 0.5, source: mipKnownIssues },
  ],
  "scanner-cmdlet-not-found": [
    ...scannerCmdletNames,
    {
      phrase: "powershell command doesn't exist",
      weight: 0.55,
      source: "https://github.com/MicrosoftDocs/Azure-RMSDocs/issues/736",
    },
    {
      phrase: "cmdlet doesn't exist",
      weight: 0.55,
      source: "https://github.com/MicrosoftDocs/Azure-RMSDocs/issues/1117",
    },
    {
      phrase: "doesn't seem to exist",
      weight: 0.55,
      source: "https://github.com/MicrosoftDocs/Azure-RMSDocs/issues/1117",
    },
  ],
  // PowerShell 7 prints "<cmdlet>: Object reference not set…": a scanner cmdlet's name next to it
  // is what makes the known issue likely.
  "powershell-7-not-supported": scannerCmdletNames,
};
