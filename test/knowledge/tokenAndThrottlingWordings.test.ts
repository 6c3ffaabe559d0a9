import { describe, expect, it } from "vitest";
import { explainText } from "../../src/knowledge/matcher.js";
import { answered } from "../support/explainAnswers.js";

describe("MSAL without a user to ask (issue 16, round 7)", () => {
  it.each([
    [
      "MsalUiRequiredException with user_null",
      "IDW10502: An MsalUiRequiredException was thrown due to a challenge for the user.\n ---> MSAL.NetCore.4.51.0.0.MsalUiRequiredException:\n ErrorCode: user_null",
    ],
    [
      "integrated Windows authentication without a UPN",
      "Could not provide an access token. (This overload of AcquireTokenByIntegratedWindowsAuthAsync is not supported on .net core because MSAL cannot determine the username (UPN) of the currently logged in user.)",
    ],
  ])("%s → token missing", (_name, text) => {
    expect(answered(explainText(text))).toEqual(["authentication-token-missing"]);
  });

  it("user_null outside MSAL is nothing of ours", () => {
    expect(answered(explainText("TypeError: user_null is not defined at profile.js:12"))).toEqual([]);
  });
});

describe("throttling and overload words only beside SharePoint", () => {
  it("Graph's TooManyRequests from another API is not the scanner's SharePoint throttling", () => {
    const e = explainText(
      '| {"error":{"code":"TooManyRequests","message":"Too many requests.","innerError":{"date":"2022-07-14T06:22:45"}}}',
    );
    expect(answered(e)).toEqual([]);
  });

  it("TooManyRequests from a SharePoint site still is", () => {
    const e = explainText(
      'GET https://contoso.sharepoint.com/sites/hr/_api/web/lists → {"error":{"code":"TooManyRequests","message":"Too many requests."}}',
    );
    expect(answered(e)).toEqual(["stuck-scanner-processes"]);
  });

  it("a 503 from SharePoint's REST API is its overload; from another site it is not", () => {
    const sharePoint =
      "HTTP503: SERVICE UNAVAILABLE - The service is temporarily overloaded.\n(Fetch)POST - https://contoso.sharepoint.com/_api/web/lists/getByTitle('Site Pages')/getchanges";
    expect(answered(explainText(sharePoint))).toEqual(["stuck-scanner-processes"]);
    expect(answered(explainText("HTTP503: SERVICE UNAVAILABLE - https://api.example.com/v1/orders"))).toEqual([]);
  });
});

describe("the MIP SDK reference's sentence for NoPolicyException", () => {
  it("means the label policy is empty", () => {
    expect(answered(explainText("The exception thrown when no policy is configured for user/tenant."))).toEqual([
      "label-policy-empty",
    ]);
  });
});
