import { z } from "zod";
import { durationSchema } from "../foundation/duration.js";

/**
 * An outbound proxy is an http(s) URL with a host and nothing after it but an optional `/`. The message never
 * echoes the value: it may carry user:password.
 */
const proxySchema = z.string().refine((value) => {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return false;
  }
  const bare = url.pathname === "/" && url.search === "" && url.hash === "";
  return (url.protocol === "http:" || url.protocol === "https:") && url.hostname !== "" && bare;
}, "slack.proxy must be an http(s) proxy URL such as http://proxy.example:3128 (user:password@ allowed; e.g. env:HTTPS_PROXY)");

/** Slack's own cap on a slash command or interaction body is far below this; anything bigger is not from Slack. */
const defaultMaxRequestBodyBytes = 1024 * 1024;

/**
 * The `slack` section of the bot's config file. Secrets are given as references
 * (`env:SLACK_BOT_TOKEN`) that the config loader resolves before this schema
 * sees them, so plain strings are accepted here.
 *
 * With an `appToken` the bot connects out over Socket Mode (no inbound traffic
 * needed); without one it listens for HTTP requests on `port` + `path` and
 * needs the `signingSecret` to verify them.
 */
export const slackSectionSchema = z
  .object({
    /** Bot user OAuth token (`xoxb-…`). */
    botToken: z.string().min(1, "slack.botToken is required (e.g. env:SLACK_BOT_TOKEN)"),
    /** Signing secret from the app's Basic Information page; required for HTTP mode. */
    signingSecret: z.string().min(1).optional(),
    /** App-level token (`xapp-…`, scope connections:write): switches to Socket Mode. */
    appToken: z.string().min(1).optional(),
    /** HTTP mode: port to listen on (0 picks a free one). */
    port: z.number().int().min(0).max(65_535).default(3000),
    /** HTTP mode: interface to listen on. */
    host: z.string().min(1).default("0.0.0.0"),
    /** HTTP mode: the Request URL path configured in the app manifest. */
    path: z.string().startsWith("/", "slack.path must start with /").default("/slack/events"),
    /** The slash command as registered in the manifest. */
    slashCommand: z
      .string()
      .regex(/^\/[a-z0-9_-]{1,31}$/, "slack.slashCommand looks like /scanner")
      .default("/scanner"),
    /** Callback id of the "Explain error" message shortcut. */
    explainShortcutId: z.string().min(1).max(255).default("explain_error"),
    /** The bot's ids; when both are given the bot skips the `auth.test` call at start. */
    botId: z.string().min(1).optional(),
    botUserId: z.string().min(1).optional(),
    /**
     * A slash command still working after this long shows its placeholder ("Checking 12 nodes…") until
     * the answer replaces it; a faster answer comes alone. Default 1s.
     */
    placeholderAfter: durationSchema
      .refine((ms) => ms <= 60_000, "slack.placeholderAfter must be at most 60s")
      .default(1000),
    /**
     * `block` (default): the status table as Block Kit's table block. `sections`: tables as section fields or
     * an aligned code block, for Slack clients that do not show table blocks yet.
     */
    tables: z.enum(["block", "sections"]).default("block"),
    /** Web API base URL (tests, on-prem proxies). Defaults to https://slack.com/api/. */
    apiUrl: z.url().optional(),
    /**
     * Outbound HTTP(S) proxy for everything the bot sends to Slack (Web API, Socket Mode, response URLs).
     * A secret like the tokens: it may carry user:password, so give it as a reference (env:HTTPS_PROXY).
     */
    proxy: proxySchema.optional(),
    /** Requests with a bigger body are refused with 413 before anything runs. */
    maxRequestBodyBytes: z
      .number()
      .int()
      .min(1024)
      .max(16 * 1024 * 1024)
      .default(defaultMaxRequestBodyBytes),
  })
  .strict()
  .refine((s) => s.appToken !== undefined || s.signingSecret !== undefined, {
    message: "slack needs either appToken (Socket Mode) or signingSecret (HTTP mode)",
    path: ["signingSecret"],
  });
export type SlackSection = z.infer<typeof slackSectionSchema>;
/** The section as written in a config file, before defaults are filled in. */
export type SlackSectionInput = z.input<typeof slackSectionSchema>;
