import { describe, expect, it } from "vitest";
import { explainText } from "../../src/knowledge/matcher.js";
import { sectionWordings } from "../../src/knowledge/sectionWordings.js";
import { answered } from "../support/explainAnswers.js";

describe("no content scan job or no repositories (Get-ScannerRepository)", () => {
  it("takes 'No content scan job defined' for the missing job", () => {
    expect(answered(explainText("PS C:\\> Get-AIPScannerRepository\nWARNING: No content scan job defined."))).toEqual([
      "missing-content-scan-job-or-profile",
    ]);
  });

  it("names both sections when the warning names both causes", () => {
    expect(answered(explainText("WARNING: No content scan job or repositories defined"))).toEqual([
      "missing-content-scan-job-or-profile",
      "no-repositories-configured",
    ]);
  });

  it("takes 'No repositories found' for the scanner only next to a repository cmdlet", () => {
    expect(answered(explainText("WARNING: No repositories found\nre-run Get-ScannerRepository in 30 seconds"))).toEqual(
      ["no-repositories-configured"],
    );
    expect(answered(explainText("WARNING: No repositories found in project ACME"))).toEqual([]);
  });
});

describe("SharePoint and Graph throttling", () => {
  it.each([
    '{"error":{"code":"TooManyRequests","message":"The request has been throttled","innerError":{"code":"activityLimitReached"}}}',
    "HTTP request returned status code 429 - The request has been throttled",
    "We keep hitting SharePoint throttling on the HR library",
    "CSOM throttling errors (HTTP 429) on every ExecuteQuery",
  ])("leads %s to the stuck-scanner section", (text) => {
    expect(answered(explainText(text))).toEqual(["stuck-scanner-processes"]);
  });

  it("answers Azure DevOps' TF20503 throttling with its own cause, not the scanner's", () => {
    const e = explainText("429 Too Many Requests - TF20503: The request has been throttled. Please wait and retry.");
    expect(answered(e)).toEqual([]);
    expect(e.otherCauses.map((c) => c.cause.id)).toEqual(["azure-devops-throttling"]);
  });
});

describe("MIP SDK policy exceptions", () => {
  it("takes a PolicySyncException with 401 invalid_token for the token not accepted", () => {
    const e = explainText(
      'Failed with: [class mip::PolicySyncException] Failed acquiring policy, Request failed with http status code: 401, x-ms-diagnostics: [2000001;reason="OAuth token submitted with the request cannot be parsed.";error_category="invalid_token"]',
    );
    expect(answered(e)).toEqual(["authentication-token-not-accepted"]);
  });

  it("takes NoPolicyError and an empty compliance policy for the empty label policy", () => {
    expect(answered(explainText("NoPolicyError: Tenant policy is not configured for classification/labels."))).toEqual([
      "label-policy-empty",
    ]);
    expect(
      answered(
        explainText(
          "Failed to parse the acquired Compliance Policy. Failed with: [class mip::CompliancePolicyParserException] Tag not found : policy, NodeType: 15",
        ),
      ),
    ).toEqual(["label-policy-empty"]);
  });

  it("does not take another parser error of the compliance policy for an empty policy", () => {
    const e = explainText(
      "Failed to parse the acquired Compliance Policy: Empty 'description' tag in label ID 0b4e0ec0",
    );
    expect(answered(e)).toEqual([]);
  });
});

describe("scanner cmdlets by their AIP and Purview names", () => {
  it.each([
    "Import-ScannerConfiguration",
    "Import-AIPScannerConfiguration",
    "Set-ScannerConfiguration",
    "Set-AIPScannerConfiguration",
    "Get-AIPScannerContentScanJob",
    "Export-AIPLogs",
  ])("knows %s is a scanner cmdlet when PowerShell does not", (cmdlet) => {
    const text = `${cmdlet} : The term '${cmdlet}' is not recognized as the name of a cmdlet, function, script file, or operable program.`;
    expect(answered(explainText(text))).toEqual(["scanner-cmdlet-not-found"]);
  });

  it("takes 'doesn't exist' wordings for a missing scanner cmdlet", () => {
    expect(answered(explainText("The Install-AIPScanner powershell command doesn't exist."))).toEqual([
      "scanner-cmdlet-not-found",
    ]);
  });

  it("takes a scanner cmdlet's null reference for the PowerShell 7 known issue, old or new name", () => {
    for (const cmdlet of ["Start-AIPScan", "Start-Scan"]) {
      expect(answered(explainText(`${cmdlet}: Object reference not set to an instance of an object.`))).toEqual([
        "powershell-7-not-supported",
      ]);
    }
  });

  it("says nothing of a cmdlet name alone", () => {
    expect(answered(explainText("Get-ScannerRepository"))).toEqual([]);
    expect(answered(explainText("Start-Scan then Get-ScannerRepository"))).toEqual([]);
  });
});

describe("sources", () => {
  it("cites a source for every other wording", () => {
    for (const [id, signatures] of Object.entries(sectionWordings)) {
      for (const s of signatures) expect(s.source, `${id}: ${s.phrase}`).toMatch(/^(https:\/\/|GitHub code search)/);
    }
  });
});
