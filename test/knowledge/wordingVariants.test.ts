import { describe, expect, it } from "vitest";
import { explainText } from "../../src/knowledge/matcher.js";
import { answered } from "../support/explainAnswers.js";

describe("the same error in another tense or person (issue 16, round 5)", () => {
  it.each([
    ["the scanner has been stuck on one file since Monday", "stuck-scanner-processes"],
    [
      "The underlying connection is closed: An unexpected error occurred on a send.",
      "underlying-connection-was-closed",
    ],
    ["Policy was missing on node 2 after the upgrade", "policy-missing"],
  ])("'%s' → %s", (text, id) => {
    expect(answered(explainText(text))).toEqual([id]);
  });

  it("still tells 'is not' from 'is'", () => {
    expect(answered(explainText("The scanner is not stuck, it finished an hour ago"))).not.toEqual(["policy-missing"]);
  });
});

describe("AADSTS70002, the older endpoint's wrapper for a rejected credential", () => {
  it("is a token that could not be acquired, explained", () => {
    const e = explainText("| AADSTS70002 | InvalidClient - 資格情報の検証中にエラーが発生しました。");
    expect(answered(e)).toEqual(["authentication-token-missing"]);
    expect(e.findings[0]?.candidates[0]?.details.join(" ")).toMatch(/AADSTS70002/);
  });

  it("lets the specific code after it explain the failure", () => {
    const e = explainText(
      "AdalServiceException: AADSTS70002: Error validating credentials. AADSTS7000222: The provided client secret keys are expired.",
    );
    expect(answered(e)).toEqual(["authentication-token-missing"]);
    expect(e.findings[0]?.candidates[0]?.details.join(" ")).toMatch(/AADSTS7000222/);
  });
});

describe("PowerShell 7's wording of a command it cannot find", () => {
  it("is the scanner cmdlet not found when the name is a scanner cmdlet", () => {
    const e = explainText(
      "Get-ScanStatus: The term 'Get-ScanStatus' is not recognized as a name of a cmdlet, function, script file, or executable program.",
    );
    expect(answered(e)).toEqual(["scanner-cmdlet-not-found"]);
  });

  it("is nothing of ours for another command", () => {
    const e = explainText(
      "git: The term 'git' is not recognized as a name of a cmdlet, function, script file, or executable program.",
    );
    expect(answered(e)).toEqual([]);
  });
});
