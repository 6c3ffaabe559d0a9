import { describe, expect, it } from "vitest";
import { explainText } from "../../src/knowledge/matcher.js";
import { answered } from "../support/explainAnswers.js";

describe("ADAL's failed silent acquisition (issue 16, round 4)", () => {
  it.each([
    // The shape reported in AzureAD/azure-activedirectory-library-for-dotnet#144: type, then the older message.
    ["AdalSilentTokenAcquisitionException\nMessage : Failed to acquire token silently. Call method AcquireToken."],
    ["Microsoft.IdentityModel.Clients.ActiveDirectory.AdalSilentTokenAcquisitionException"],
    ["Failed to acquire token silently. Call method AcquireToken"],
    ["2024-03-01 06:00:02 ERROR MSIP.Scanner - MsalUiRequiredException: Failed to acquire token silently"],
  ])("sends '%s' to Authentication token missing", (text) => {
    const e = explainText(text);
    expect(answered(e)).toEqual(["authentication-token-missing"]);
    // A message (not the type name, which decides first when present) also carries what it means for the scanner.
    if (!/AdalSilentTokenAcquisitionException/.test(text))
      expect(e.findings[0]?.candidates[0]?.details.join(" ")).toMatch(/silent/i);
  });

  it("leaves other 'failed silently' wordings alone", () => {
    expect(answered(explainText("The backup job failed silently last night"))).toEqual([]);
  });
});
