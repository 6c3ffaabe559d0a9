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

/** How long token checks are refused without asking after the key metadata could not be fetched. */
export const keyMetadataRetryMs = 15_000;

/** How long one token check may wait for the key metadata (botbuilder's fetch has no deadline of its own). */
export const keyMetadataDeadlineMs = 10_000;

/** The message of every refusal caused by unavailable key metadata; the endpoint logs it as the reason. */
export const keyMetadataUnavailable = "Unauthorized: the Bot Framework key metadata could not be fetched";

/**
 * Did fetching the OpenID metadata or its keys fail (as opposed to the token being bad)? Kept narrow on
 * purpose: an error a crafted token can provoke must not count, or one bad request would refuse the
 * good ones that follow.
 */
function isKeyMetadataFailure(err: unknown): boolean {
  if (!(err instanceof Error)) return false;
  if (err.name === "FetchError") return true; // node-fetch: network error or a body that is not JSON
  return err instanceof AuthenticationError && /^Failed to load (openID config|Keys)\b/.test(err.message);
}

/**
 * Keeps the key metadata from being fetched once per request while it is unavailable. botbuilder fetches
 * it whenever it has no keys (at start, and every 24 h) and keeps no record of a failure, so each request
 * carrying a token with the channel's issuer (anyone can make one) used to cost an outbound fetch.
 * Here, until one check has gone through, checks run one at a time; after a failure every check is
 * refused for `keyMetadataRetryMs` without asking, then the next request tries again.
 */
class KeyMetadataGuard {
  private refusingUntil = 0;
  private keysSeen = false;
  private previous: Promise<unknown> = Promise.resolve();

  constructor(private readonly now: () => number) {}

  async run<T>(check: () => Promise<T>): Promise<T> {
    this.refuseWhileUnavailable();
    if (!this.keysSeen) {
      const turn = this.previous;
      let done: () => void = () => undefined;
      this.previous = new Promise<void>((resolve) => {
        done = resolve;
      });
      try {
        await turn;
        this.refuseWhileUnavailable();
        return await this.attempt(check);
      } finally {
        done();
      }
    }
    return this.attempt(check);
  }

  private refuseWhileUnavailable(): void {
    if (this.now() < this.refusingUntil) throw new AuthenticationError(keyMetadataUnavailable, 401);
  }

  private async attempt<T>(check: () => Promise<T>): Promise<T> {
    let timer: NodeJS.Timeout | undefined;
    const deadline = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new TimedOut()), keyMetadataDeadlineMs);
    });
    try {
      const result = await Promise.race([check(), deadline]);
      this.keysSeen = true;
      return result;
    } catch (err) {
      if (err instanceof TimedOut || isKeyMetadataFailure(err)) {
        this.refusingUntil = this.now() + keyMetadataRetryMs;
        throw new AuthenticationError(keyMetadataUnavailable, 401);
      }
      throw asUnauthorized(err);
    } finally {
      clearTimeout(timer);
    }
  }
}

class TimedOut extends Error {}

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

/**
 * Delegates to the SDK's authentication, turning token errors it lets escape into 401s and guarding
 * the key metadata fetches (KeyMetadataGuard).
 */
class StrictBotFrameworkAuthentication extends BotFrameworkAuthentication {
  private readonly guard: KeyMetadataGuard;
  constructor(
    private readonly inner: BotFrameworkAuthentication,
    /** First deadline of every connector client; a turn sets its own before its calls (turnConnector). */
    private readonly connectorTimeoutMs: number,
    now: () => number,
  ) {
    super();
    this.guard = new KeyMetadataGuard(now);
  }
  override authenticateRequest(activity: Activity, authHeader: string): Promise<AuthenticateRequestResult> {
    return this.guard.run(() => this.inner.authenticateRequest(activity, authHeader));
  }
  override authenticateStreamingRequest(
    authHeader: string,
    channelIdHeader: string,
  ): Promise<AuthenticateRequestResult> {
    return this.guard.run(() => this.inner.authenticateStreamingRequest(authHeader, channelIdHeader));
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
  override authenticateChannelRequest(authHeader: string): Promise<ClaimsIdentity> {
    return this.guard.run(() => this.inner.authenticateChannelRequest(authHeader));
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
  options: { outgoingToken?: string; now?: () => Date } = {},
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
    authentication: new StrictBotFrameworkAuthentication(inner, settings.proactiveSendTimeout, () =>
      (options.now ?? (() => new Date()))().getTime(),
    ),
    appId,
    anonymous: !appId,
  };
}
