import type { SignatureInput } from "./knowledgeEntry.js";

/**
 * What ADAL (older scanner clients) and MSAL (newer ones) report when the scanner cannot get or
 * use a token, mapped onto the article's two authentication sections: the token is missing when
 * no token could be acquired at all, and not accepted when one was issued but lacks consent.
 * Each signature says in `detail` what its code means for the scanner. Codes are the Microsoft
 * Entra AADSTS codes (https://learn.microsoft.com/entra/identity-platform/reference-error-codes);
 * library texts are quoted from the libraries' exceptions as they appear in public reports.
 */

const aadstsCodes = "https://learn.microsoft.com/entra/identity-platform/reference-error-codes";

/** An Entra sign-in code: decisive wherever it appears, since it names the cause exactly. */
function code(aadsts: string, detail: string, seenAt: string): SignatureInput {
  return { phrase: aadsts, weight: 0.95, decisive: true, detail, source: `${aadstsCodes}; seen at ${seenAt}` };
}

/** A message of the token library itself (no AADSTS code), with what it means. */
function libraryMessage(phrase: string, weight: number, detail: string, source: string): SignatureInput {
  return { phrase, weight, decisive: true, detail, source };
}

const secretWrong =
  "the app secret given to Set-AIPAuthentication (Set-Authentication) is not valid for that app registration. A common slip is pasting the secret's ID instead of its value; create a new secret, copy its value, and authenticate again.";
const appUnknown =
  "no app registration with that AppId exists in the tenant the scanner signs in to: check -AppId and -TenantId, and that the registration was not deleted.";
const wrongCredentials =
  "the account given as -DelegatedUser / -OnBehalfOf could not sign in with the password supplied (wrong, expired, locked or disabled). Fix the account, then run Set-AIPAuthentication again.";
const conditionalAccess =
  "a Conditional Access policy blocked the scanner's sign-in (for example MFA, a compliant device or a trusted location is required). Exclude the scanner's service account and app from that policy, or allow the node's location, then authenticate again.";
const noCachedToken =
  "the scanner asked for a token silently but its token cache has no account, so there is nothing to refresh: Set-AIPAuthentication was never run for the service account, or ran as another user without -OnBehalfOf.";
const iwaUnavailable =
  "integrated Windows authentication only works for federated accounts; the scanner's account is a managed (cloud or password-hash-synced) one, so it needs an app secret: run Set-AIPAuthentication with -AppId, -AppSecret and -OnBehalfOf.";

/** What the commonest sign-in failures mean for the scanner, for the localized descriptions of the same codes. */
export const signInCauses = { secretWrong, conditionalAccess } as const;

/** Signatures that send token-acquisition failures to "Authentication token missing". */
export const tokenMissingSignatures: SignatureInput[] = [
  code(
    "AADSTS7000215",
    `AADSTS7000215 (invalid client secret): ${secretWrong}`,
    "https://github.com/microsoftgraph/msgraph-cli/issues/383",
  ),
  code(
    "AADSTS50012",
    `AADSTS50012 (invalid client secret, older wording): ${secretWrong}`,
    "https://github.com/sjkp/letsencrypt-siteextension/issues/117",
  ),
  // The older endpoint's wrapper for every rejected credential; the code after it says which. Weighed just below
  // the other codes so the specific one, when present, explains the failure.
  {
    ...code(
      "AADSTS70002",
      "AADSTS70002 (error validating credentials): Microsoft Entra rejected the credential the scanner presented, usually the app secret given to Set-AIPAuthentication (Set-Authentication), or the delegated user's password; the next AADSTS code in the message, when there is one, says which. Check -AppId, -AppSecret and the account, then authenticate again.",
      "https://github.com/sjkp/letsencrypt-siteextension/issues/144",
    ),
    weight: 0.9,
  },
  code(
    "AADSTS7000222",
    "AADSTS7000222 (client secret expired): the app secret used with Set-AIPAuthentication has passed its end date. Create a new secret for the app registration and run Set-AIPAuthentication again with it.",
    "https://github.com/Azure-Samples/active-directory-dotnetcore-daemon-v2/issues/87",
  ),
  code(
    "AADSTS700016",
    `AADSTS700016 (application not found): ${appUnknown}`,
    "https://github.com/donwa/oneindex/issues/621",
  ),
  code(
    "AADSTS70001",
    `AADSTS70001 (application not found, older wording): ${appUnknown}`,
    "https://github.com/microsoftgraph/ruby-connect-rest-sample/issues/9",
  ),
  code(
    "AADSTS90002",
    "AADSTS90002 (tenant not found): the -TenantId given to Set-AIPAuthentication does not name an existing tenant; copy the tenant ID from the Microsoft Entra admin center.",
    "https://learn.microsoft.com/entra/identity-platform/reference-error-codes",
  ),
  code(
    "AADSTS50126",
    `AADSTS50126 (invalid username or password): ${wrongCredentials}`,
    "https://github.com/ahaenggli/AzureAD-LDAP-wrapper/issues/115",
  ),
  code(
    "AADSTS50034",
    `AADSTS50034 (user account does not exist): ${wrongCredentials}`,
    "https://learn.microsoft.com/entra/identity-platform/reference-error-codes",
  ),
  code(
    "AADSTS50055",
    `AADSTS50055 (password expired): ${wrongCredentials}`,
    "https://learn.microsoft.com/entra/identity-platform/reference-error-codes",
  ),
  code(
    "AADSTS50053",
    `AADSTS50053 (account locked or sign-in blocked): ${wrongCredentials}`,
    "https://learn.microsoft.com/entra/identity-platform/reference-error-codes",
  ),
  code(
    "AADSTS50057",
    `AADSTS50057 (account disabled): ${wrongCredentials}`,
    "https://learn.microsoft.com/entra/identity-platform/reference-error-codes",
  ),
  code(
    "AADSTS53003",
    `AADSTS53003 (blocked by Conditional Access): ${conditionalAccess}`,
    "https://github.com/AzureAD/microsoft-identity-web/issues/2419",
  ),
  code(
    "AADSTS50076",
    `AADSTS50076 (MFA required by policy): ${conditionalAccess}`,
    "https://github.com/ahaenggli/AzureAD-LDAP-wrapper/issues/115",
  ),
  code(
    "AADSTS50079",
    `AADSTS50079 (MFA registration required): ${conditionalAccess}`,
    "https://github.com/ahaenggli/AzureAD-LDAP-wrapper/issues/115",
  ),
  code(
    "AADSTS7000218",
    "AADSTS7000218 (no client secret or certificate sent): the sign-in was made as a confidential app without its credential, so Set-AIPAuthentication (Set-Authentication) ran without -AppSecret, or with an empty one. Run it again with the app registration's secret value.",
    "https://github.com/joelmeiller/cypress-msal-login/issues/11",
  ),
  code(
    "AADSTS700027",
    "AADSTS700027 (client assertion has an invalid signature): the app signs in with a certificate that is not the one uploaded to its registration, or the certificate's private key is not the one the node holds. Upload the node's certificate to the app registration (or use an app secret) and authenticate again.",
    "https://learn.microsoft.com/azure/developer/java/sdk/troubleshooting-authentication-service-principal",
  ),
  code(
    "AADSTS700082",
    "AADSTS700082 (refresh token expired after inactivity): the token Set-AIPAuthentication cached for the scanner's service account was not used for 90 days (a node or scanner service stopped that long), so it can no longer be refreshed. Run Set-AIPAuthentication (Set-Authentication) with -OnBehalfOf again.",
    "https://learn.microsoft.com/answers/questions/1338428/aadsts700082-the-refresh-token-has-expired-due-to",
  ),
  code(
    "AADSTS50173",
    "AADSTS50173 (grant revoked): the scanner's cached token was issued before the service account's password was changed or its sessions were revoked. Run Set-AIPAuthentication (Set-Authentication) with -OnBehalfOf again.",
    "https://nango.dev/blog/microsoft-oauth-refresh-token-invalid-grant",
  ),
  code(
    "AADSTS50001",
    "AADSTS50001 (resource not found in the tenant): the service the token is asked for is not registered in the tenant the scanner signs in to: a wrong -TenantId, or the Azure Rights Management / information protection services not activated in that tenant.",
    "https://pastebin.com/wW8gx8Pf (ADAL AuthenticationContext.AcquireToken)",
  ),
  code(
    "AADSTS500011",
    "AADSTS500011 (resource principal not found): the service the scanner asks a token for (for example Azure Rights Management, https://aadrm.com) has no service principal in the tenant: the protection service is not activated there, or -TenantId names another tenant.",
    "https://learn.microsoft.com/entra/identity-platform/reference-error-codes",
  ),
  libraryMessage(
    "Invalid client secret is provided",
    0.9,
    `Invalid client secret: ${secretWrong}`,
    "https://github.com/microsoft/Dynamics-AX-Integration/issues/95",
  ),
  libraryMessage(
    "The provided client secret keys are expired",
    0.9,
    "Client secret expired: create a new secret for the app registration and run Set-AIPAuthentication again with it.",
    "https://github.com/sjkp/letsencrypt-siteextension/issues/358",
  ),
  libraryMessage(
    "Access has been blocked by Conditional Access policies",
    0.9,
    `Blocked by Conditional Access: ${conditionalAccess}`,
    "https://github.com/AzureAD/microsoft-identity-web/issues/2419",
  ),
  libraryMessage(
    "No account or login hint was passed to the AcquireTokenSilent call",
    0.9,
    `MSAL silent acquisition without an account (user_null): ${noCachedToken}`,
    "https://learn.microsoft.com/troubleshoot/entra/entra-id/app-integration/no-account-or-login-hint-was-passed-to-acquiretokensilent",
  ),
  // MSAL's exception for "no token without the user": on a service with nobody to sign in, no token at all.
  ...["MsalUiRequiredException", "user_null"].map(
    (phrase): SignatureInput => ({
      ...libraryMessage(
        phrase,
        0.8,
        `MSAL could not get a token silently (MsalUiRequiredException): ${noCachedToken}`,
        "https://learn.microsoft.com/entra/msal/dotnet/advanced/exceptions/msal-error-handling (MsalUiRequiredException, user_null)",
      ),
      onlyWith: ["msal", "microsoft.identity"],
    }),
  ),
  libraryMessage(
    "Failed to acquire token silently as no token was found in the cache",
    0.9,
    `ADAL silent acquisition with an empty cache (failed_to_acquire_token_silently): ${noCachedToken}`,
    "AzureAD/azure-activedirectory-library-for-dotnet AdalErrorMessage.cs (FailedToAcquireTokenSilently)",
  ),
  // ADAL's exception for every failed silent acquisition, and its older message ("… Call method AcquireToken."),
  // as reported in AzureAD/azure-activedirectory-library-for-dotnet#144.
  ...["AdalSilentTokenAcquisitionException", "Failed to acquire token silently"].map((phrase) =>
    libraryMessage(
      phrase,
      0.85,
      `ADAL silent acquisition failed (AdalSilentTokenAcquisitionException): ${noCachedToken}`,
      "https://github.com/AzureAD/azure-activedirectory-library-for-dotnet/issues/144",
    ),
  ),
  libraryMessage(
    "Integrated Windows Auth is not supported for managed users",
    0.9,
    `Integrated Windows authentication unavailable: ${iwaUnavailable}`,
    "https://github.com/AzureAD/microsoft-authentication-library-for-dotnet/issues/3903",
  ),
  libraryMessage(
    "Password is required for managed user",
    0.9,
    `Integrated Windows authentication unavailable (password_required_for_managed_user): ${iwaUnavailable}`,
    "https://github.com/AzureAD/azure-activedirectory-library-for-dotnet/issues/1094",
  ),
  libraryMessage(
    "password_required_for_managed_user",
    0.9,
    `Integrated Windows authentication unavailable: ${iwaUnavailable}`,
    "https://github.com/AzureAD/azure-activedirectory-library-for-dotnet/issues/1094",
  ),
  libraryMessage(
    "Unsupported User Type 'Managed'",
    0.85,
    `Integrated Windows authentication unavailable (unknown_user_type): ${iwaUnavailable}`,
    "https://github.com/AzureAD/azure-activedirectory-library-for-dotnet/issues/1398",
  ),
  // Both libraries' GetUserNameFailed: Windows could not tell them the signed-in user's UPN, which integrated
  // Windows authentication needs. The words are common, so they count only beside the libraries' names.
  ...["get_user_name_failed", "Failed to get user name"].map(
    (phrase): SignatureInput => ({
      ...libraryMessage(
        phrase,
        0.85,
        `Integrated Windows authentication unavailable (get_user_name_failed): the library could not read the signed-in Windows account's user name, which integrated Windows authentication needs; a local or non-domain account has none. ${iwaUnavailable}`,
        "https://github.com/AzureAD/microsoft-authentication-library-for-dotnet/blob/main/src/client/Microsoft.Identity.Client/MsalError.cs (GetUserNameFailed); https://github.com/AzureAD/azure-activedirectory-library-for-dotnet (AdalError.GetUserNameFailed)",
      ),
      onlyWith: [
        "msal",
        "adal",
        "microsoft.identity.client",
        "microsoft.identitymodel.clients.activedirectory",
        "integrated windows",
      ],
    }),
  ),
  // MSAL.NET on .NET Core (and upn_required anywhere): integrated Windows authentication needs a user name it cannot find.
  libraryMessage(
    "MSAL cannot determine the username (UPN) of the currently logged in user",
    0.9,
    `Integrated Windows authentication unavailable (upn_required): ${iwaUnavailable}`,
    "https://github.com/AzureAD/microsoft-authentication-library-for-dotnet/issues/899",
  ),
  libraryMessage(
    "integrated_windows_auth_not_supported_managed_user",
    0.9,
    `Integrated Windows authentication unavailable: ${iwaUnavailable}`,
    "MSAL.NET integrated Windows authentication docs (MsalClientException error codes); https://github.com/AzureAD/microsoft-authentication-library-for-dotnet/issues/1690",
  ),
];

/** Signatures that send "token issued but not usable" to "Authentication token not accepted". */
export const tokenNotAcceptedSignatures: SignatureInput[] = [
  code(
    "AADSTS65001",
    "AADSTS65001 (consent missing): nobody has consented to the permissions the scanner's app registration asks for. In the Microsoft Entra admin center, open the app's API permissions and select Grant admin consent, then authenticate again.",
    "https://github.com/microsoft/mattercenter/issues/656",
  ),
  code(
    "AADSTS90094",
    "AADSTS90094 (admin consent required): the app registration asks for permissions only an administrator can grant. Grant admin consent on its API permissions page, then authenticate again.",
    "https://learn.microsoft.com/entra/identity-platform/reference-error-codes",
  ),
  libraryMessage(
    "The user or administrator has not consented to use the application",
    0.9,
    "Consent missing: grant admin consent for the app registration's API permissions (Azure Rights Management Services, Microsoft Information Protection Sync Service), then authenticate again.",
    "https://github.com/Azure-Samples/active-directory-dotnet-native-headless/issues/10",
  ),
];
