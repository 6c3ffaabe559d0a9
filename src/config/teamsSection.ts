import { z } from "zod";
import { durationSchema } from "../foundation/duration.js";

/** What of Teams' 15 s per incoming request a turn's own sends may use (the rest is for writing the answer). */
export const teamsTurnBudgetMs = 14_000;

/**
 * Endpoints the Bot Framework uses to sign and check tokens. Production leaves
 * them unset (the public Azure cloud defaults apply); tests and sovereign
 * clouds set them. Setting any one switches botbuilder to a fully
 * parameterised mode, so the schema asks for the inbound pair together.
 */
export const teamsEndpointsSchema = z
  .object({
    /** OpenID metadata for tokens from the Teams channel (`…/.well-known/openidconfiguration`). */
    channelOpenIdMetadataUrl: z.url(),
    /** Issuer of channel tokens. */
    channelTokenIssuer: z.string().min(1).default("https://api.botframework.com"),
    /** OpenID metadata for tokens from the Bot Framework Emulator. */
    emulatorOpenIdMetadataUrl: z.url().optional(),
    /** Where the bot gets its own tokens for outgoing calls. */
    loginUrl: z.url().default("https://login.microsoftonline.com/botframework.com"),
    /** Scope of the bot's outgoing tokens. */
    oauthScope: z.string().min(1).default("https://api.botframework.com"),
    /** Bot Framework token service (user sign-in; unused by this bot but required by the SDK). */
    oauthUrl: z.url().default("https://api.botframework.com"),
    /** Whether the login authority is checked against Microsoft's list (off only for test authorities). */
    validateAuthority: z.boolean().default(true),
  })
  .strict();
export type TeamsEndpoints = z.infer<typeof teamsEndpointsSchema>;

/**
 * The `teams` section of the bot's config file.
 *
 * With no `appId` the adapter runs anonymously (Bot Framework Emulator on a
 * laptop) and says so loudly; with one, every request must carry a valid Bot
 * Framework token. See https://learn.microsoft.com/azure/bot-service/bot-builder-authentication
 */
export const teamsSectionSchema = z
  .object({
    /** Microsoft App ID of the Azure Bot registration (a GUID). Absent: anonymous local mode. */
    appId: z.string().trim().min(1).optional(),
    /** Client secret of the app registration; write `env:TEAMS_APP_PASSWORD`, the loader resolves it. */
    appPassword: z.string().min(1).optional(),
    /** How the app registration authenticates: `MultiTenant`, `SingleTenant` or `UserAssignedMSI`. */
    appType: z.enum(["MultiTenant", "SingleTenant", "UserAssignedMSI"]).default("MultiTenant"),
    /** Entra tenant id; required for `SingleTenant` and `UserAssignedMSI`. */
    tenantId: z.string().trim().min(1).optional(),
    /** Certificate login instead of a secret: thumbprint plus PEM private key (`env:…`). */
    certificateThumbprint: z.string().min(1).optional(),
    certificatePrivateKey: z.string().min(1).optional(),
    /** Address the messaging endpoint listens on. */
    host: z.string().min(1).default("0.0.0.0"),
    /** Port of the messaging endpoint; 0 picks a free one (tests). */
    port: z.number().int().min(0).max(65_535).default(3978),
    /** Path of the messaging endpoint, as registered in Azure (`https://<publicDomain>/api/messages`). */
    path: z.string().startsWith("/").default("/api/messages"),
    /** Public host name of the bot (no scheme), used for the app package's `validDomains`. */
    publicDomain: z
      .string()
      .regex(/^[a-z0-9.-]+(:\d+)?$/i, "a host name such as bot.contoso.com, without https://")
      .optional(),
    /** Largest request body accepted, in bytes. */
    maxBodyBytes: z
      .number()
      .int()
      .positive()
      .default(1024 * 1024),
    /**
     * How long a send inside an incoming turn waits for the Bot Connector before the reply goes out
     * in the background instead. Teams drops a turn after 15 s, so this stays under it. Default 10s.
     */
    inTurnSendTimeout: durationSchema
      .refine(
        (ms) => ms >= 100 && ms <= teamsTurnBudgetMs,
        "teams.inTurnSendTimeout must be between 100ms and 14s (Teams allows 15s)",
      )
      .default(10_000),
    /** How long each try of a proactive send (alert, background reply, card update) waits for an answer. Default 30s. */
    proactiveSendTimeout: durationSchema
      .refine((ms) => ms >= 100 && ms <= 300_000, "teams.proactiveSendTimeout must be between 100ms and 5m")
      .default(30_000),
    /** Test and sovereign-cloud overrides of the Bot Framework endpoints. */
    endpoints: teamsEndpointsSchema.optional(),
    /**
     * Microsoft Graph, asked which Entra ID groups a caller is in when `access` names Teams groups. The
     * defaults are the public cloud; sovereign clouds (and tests) set their own.
     */
    graph: z
      .object({
        /** The Entra login authority (the tenant id is appended). */
        loginUrl: z.url().default("https://login.microsoftonline.com"),
        /** The Graph endpoint; its origin + `/.default` is the token's scope. */
        url: z.url().default("https://graph.microsoft.com"),
      })
      .strict()
      .default({ loginUrl: "https://login.microsoftonline.com", url: "https://graph.microsoft.com" }),
  })
  .strict()
  .superRefine((section, ctx) => {
    if (section.appType !== "MultiTenant" && !section.tenantId) {
      ctx.addIssue({ code: "custom", path: ["tenantId"], message: `required when appType is ${section.appType}` });
    }
    if (section.appType === "UserAssignedMSI" && section.appPassword) {
      ctx.addIssue({ code: "custom", path: ["appPassword"], message: "must not be set for UserAssignedMSI" });
    }
    if (Boolean(section.certificateThumbprint) !== Boolean(section.certificatePrivateKey)) {
      ctx.addIssue({
        code: "custom",
        path: ["certificatePrivateKey"],
        message: "certificateThumbprint and certificatePrivateKey go together",
      });
    }
    if (
      section.appId &&
      section.appType !== "UserAssignedMSI" &&
      !section.appPassword &&
      !section.certificateThumbprint
    ) {
      ctx.addIssue({
        code: "custom",
        path: ["appPassword"],
        message: `required for ${section.appType} (or certificateThumbprint + certificatePrivateKey): the bot needs it to reply`,
      });
    }
    if (!section.appId && (section.appPassword || section.tenantId || section.certificateThumbprint)) {
      ctx.addIssue({
        code: "custom",
        path: ["appId"],
        message: "required when a password, tenant or certificate is set",
      });
    }
  });
export type TeamsSection = z.infer<typeof teamsSectionSchema>;
/** The section as written in the file, before defaults. */
export type TeamsSectionInput = z.input<typeof teamsSectionSchema>;
