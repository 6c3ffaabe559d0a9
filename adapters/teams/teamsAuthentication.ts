import type { Activity } from "botbuilder";
import { ConfigurationBotFrameworkAuthentication } from "botbuilder";
import {
  type AuthenticateRequestResult,
  AuthenticationError,
  BotFrameworkAuthentication,
  type BotFrameworkClient,
  type ClaimsIdentity,
  type ConnectorClient,
  ConnectorFactory,
  ServiceClientCredentialsFactory,
  type UserTokenClient,
} from "botframework-connector";
import type { TeamsSection } from "../../src/config/teamsSection.js";
import { prepareConnectorClient } from "./connectorClient.js";

/**
 * Builds the Bot Framework authentication for the Teams endpoint: real JWT
 * validation of every inbound request when an app id is configured,
 * anonymous (Emulator-style) only when none is.
 */

/** Anything that went wrong while checking a token is the caller's problem (401), not ours (500). */
function asUnauthorized(err: unknown): unknown {
  if (err instanceof AuthenticationError) return err;
  // jsonwebtoken's errors (bad signature, malformed token, not-before) escape botbuilder untranslated.
  const name = err instanceof Error ? err.name : "";
  if (name === "JsonWebTokenError" || name === "TokenExpiredError" || name === "NotBeforeError") {
    return new AuthenticationError(`Unauthorized: ${(err as Error).message}`, 401);
  }
  return err;
}

/**
 * Hands out connector clients already stripped of the SDK's retries and bounded by a deadline
 * (connectorClient.ts). `createConversationAsync` calls the connector before any turn logic runs,
 * so preparing the turn's client there would come too late for that call.
 */
class PreparedConnectorFactory extends ConnectorFactory {
  constructor(
    private readonly inner: ConnectorFactory,
    private readonly timeoutMs: number,
  ) {
    super();
  }
  override async create(serviceUrl: string, audience?: string): Promise<ConnectorClient> {
    const client = await this.inner.create(serviceUrl, audience);
    prepareConnectorClient(client, this.timeoutMs);
    return client;
  }
}

/** Delegates to the SDK's authentication, turning token errors it lets escape into 401s. */
class StrictBotFrameworkAuthentication extends BotFrameworkAuthentication {
  constructor(
    private readonly inner: BotFrameworkAuthentication,
    /** First deadline of every connector client; a turn sets its own before its calls (turnConnector). */
    private readonly connectorTimeoutMs: number,
  ) {
    super();
  }
  override async authenticateRequest(activity: Activity, authHeader: string): Promise<AuthenticateRequestResult> {
    try {
      return await this.inner.authenticateRequest(activity, authHeader);
    } catch (err) {
      throw asUnauthorized(err);
    }
  }
  override async authenticateStreamingRequest(
    authHeader: string,
    channelIdHeader: string,
  ): Promise<AuthenticateRequestResult> {
    try {
      return await this.inner.authenticateStreamingRequest(authHeader, channelIdHeader);
    } catch (err) {
      throw asUnauthorized(err);
    }
  }
  override createConnectorFactory(claimsIdentity: ClaimsIdentity): ConnectorFactory {
    return new PreparedConnectorFactory(this.inner.createConnectorFactory(claimsIdentity), this.connectorTimeoutMs);
  }
  override createUserTokenClient(claimsIdentity: ClaimsIdentity): Promise<UserTokenClient> {
    return this.inner.createUserTokenClient(claimsIdentity);
  }
  override createBotFrameworkClient(): BotFrameworkClient {
    return this.inner.createBotFrameworkClient();
  }
  override getOriginatingAudience(): string {
    return this.inner.getOriginatingAudience();
  }
  override async authenticateChannelRequest(authHeader: string): Promise<ClaimsIdentity> {
    try {
      return await this.inner.authenticateChannelRequest(authHeader);
    } catch (err) {
      throw asUnauthorized(err);
    }
  }
}

/**
 * Outgoing credentials that attach a fixed bearer token instead of asking the
 * Microsoft login service: for loopback tests against a stand-in connector.
 */
class FixedTokenCredentialsFactory extends ServiceClientCredentialsFactory {
  constructor(
    private readonly appId: string,
    private readonly token: string,
  ) {
    super();
  }
  override async isValidAppId(appId: string): Promise<boolean> {
    return appId === this.appId;
  }
  override async isAuthenticationDisabled(): Promise<boolean> {
    return false;
  }
  override async createCredentials(): Promise<never> {
    const token = this.token;
    const credentials = {
      async signRequest<T extends { headers: { set(name: string, value: string): void } }>(request: T): Promise<T> {
        request.headers.set("authorization", `Bearer ${token}`);
        return request;
      },
    };
    // The SDK's ServiceClientCredentials type is a structural interface with just signRequest.
    return credentials as never;
  }
}

export interface TeamsAuthentication {
  authentication: BotFrameworkAuthentication;
  /** The bot's app id ("" when anonymous): proactive sends need it. */
  appId: string;
  /** No app id configured: requests are accepted unsigned. */
  anonymous: boolean;
}

/** Builds the authentication from the `teams` config section. */
export function createTeamsAuthentication(
  settings: TeamsSection,
  options: { outgoingToken?: string } = {},
): TeamsAuthentication {
  const appId = settings.appId ?? "";
  const endpoints = settings.endpoints;
  const config: Record<string, string | boolean | undefined> = {
    MicrosoftAppId: settings.appId,
    MicrosoftAppPassword: settings.appPassword,
    // botbuilder spells the managed-identity type "UserAssignedMsi".
    MicrosoftAppType: settings.appType === "UserAssignedMSI" ? "UserAssignedMsi" : settings.appType,
    MicrosoftAppTenantId: settings.tenantId,
    CertificateThumbprint: settings.certificateThumbprint,
    CertificatePrivateKey: settings.certificatePrivateKey,
    ...(endpoints
      ? {
          // Setting one endpoint makes botbuilder use only the given ones: set them all.
          ToBotFromChannelOpenIdMetadataUrl: endpoints.channelOpenIdMetadataUrl,
          ToBotFromChannelTokenIssuer: endpoints.channelTokenIssuer,
          ToBotFromEmulatorOpenIdMetadataUrl: endpoints.emulatorOpenIdMetadataUrl ?? endpoints.channelOpenIdMetadataUrl,
          ToChannelFromBotLoginUrl: endpoints.loginUrl,
          ToChannelFromBotOAuthScope: endpoints.oauthScope,
          OAuthUrl: endpoints.oauthUrl,
          ValidateAuthority: endpoints.validateAuthority,
        }
      : {}),
  };
  const defined = Object.fromEntries(Object.entries(config).filter(([, value]) => value !== undefined));
  const credentials =
    options.outgoingToken && appId ? new FixedTokenCredentialsFactory(appId, options.outgoingToken) : undefined;
  const inner = new ConfigurationBotFrameworkAuthentication(defined, credentials);
  return {
    authentication: new StrictBotFrameworkAuthentication(inner, settings.proactiveSendTimeout),
    appId,
    anonymous: !appId,
  };
}
