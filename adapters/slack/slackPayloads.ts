import { z } from "zod";

/**
 * The parts of Slack's payloads the adapter reads, as zod schemas: Bolt types
 * them, but they arrive from the network, so they are checked before use.
 */

const id = z.string().min(1).max(64);
const ts = z.string().regex(/^\d{1,12}\.\d{1,8}$/);

/** `/scanner …` (https://docs.slack.dev/interactivity/implementing-slash-commands). */
export const slashCommandPayloadSchema = z.object({
  text: z.string().max(40_000).default(""),
  user_id: id,
  user_name: z.string().max(200).optional(),
  channel_id: id,
  // Signed by Slack like the rest of the body; only its presence matters here.
  response_url: z.string().min(8).max(2000),
});

/** `app_mention` and `message.im` events. */
export const messageEventSchema = z.object({
  type: z.enum(["app_mention", "message"]),
  subtype: z.string().optional(),
  bot_id: z.string().optional(),
  channel_type: z.string().optional(),
  user: id,
  text: z.string().max(100_000).default(""),
  channel: id,
  ts,
  thread_ts: ts.optional(),
});
export type MessageEvent = z.infer<typeof messageEventSchema>;

/** A message shortcut ("Explain error" on a message). */
export const messageShortcutSchema = z.object({
  user: z.object({ id, name: z.string().max(200).optional() }),
  channel: z.object({ id }),
  message: z.object({ text: z.string().max(100_000).default(""), ts, thread_ts: ts.optional() }),
  response_url: z.url(),
});

/** A button click (`block_actions`), from a message or from the App Home view. */
export const buttonClickSchema = z.object({
  user: z.object({ id, name: z.string().max(200).optional() }),
  channel: z.object({ id }).optional(),
  message: z.object({ ts, thread_ts: ts.optional() }).optional(),
  // Buttons carry `value`; an overflow menu carries the chosen option's value in `selected_option`.
  actions: z
    .array(
      z.object({
        action_id: z.string(),
        value: z.string().optional(),
        selected_option: z.object({ value: z.string() }).optional(),
      }),
    )
    .min(1),
});

/** `app_home_opened`. */
export const homeOpenedSchema = z.object({ user: id, tab: z.string().optional() });
