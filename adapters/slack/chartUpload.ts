import type { webApi } from "@slack/bolt";
import type { Logger } from "../../src/foundation/logger.js";
import { type Block, type Reply, seenByEveryone } from "../../src/reply/reply.js";
import { failureOf, slackErrorOf } from "./slackDelivery.js";

/**
 * Charts (image blocks) go to Slack as files uploaded to the conversation
 * with files.uploadV2: an `image` block would need a public URL, which an
 * internal bot has no business serving. Needs the `files:write` scope; a
 * workspace that installed the app without it gets told what is missing.
 * https://docs.slack.dev/reference/methods/files.uploadV2
 */

type ImageBlock = Extract<Block, { kind: "image" }>;

/** Where the chart goes: the conversation and, for answers in a thread, its thread. */
export interface ChartTarget {
  channel: string;
  threadTs?: string;
}

/** What to tell the person when a chart could not be posted, by Slack error. */
function notice(error: string | undefined): string {
  const lead = "The chart was not posted (the figures above are complete):";
  switch (error) {
    case "missing_scope":
      return `${lead} this Slack app lacks the \`files:write\` scope. Add it under OAuth & Permissions (it is in manifest/slack.yml) and reinstall the app.`;
    case "not_in_channel":
    case "channel_not_found":
      return `${lead} the bot is not a member of this channel. Invite it (\`/invite @scanner-bot\`) to get charts here.`;
    default:
      return `${lead} Slack answered ${error ? `\`${error}\`` : "with an error"}.`;
  }
}

/**
 * Uploads every chart of a public reply. Private replies keep their charts to
 * themselves (an upload is seen by the whole channel): they show the alt text only.
 * Returns a notice for the person when an upload failed; never rejects.
 */
export async function uploadCharts(
  client: webApi.WebClient,
  reply: Reply,
  target: ChartTarget,
  logger: Logger,
): Promise<string | undefined> {
  if (!seenByEveryone(reply)) return undefined;
  const images = reply.blocks.filter((b): b is ImageBlock => b.kind === "image");
  for (const image of images) {
    try {
      const file = {
        file: Buffer.from(image.pngBase64, "base64"),
        filename: image.title,
        title: image.altText.slice(0, 250),
        alt_text: image.altText.slice(0, 1000),
      };
      await client.files.uploadV2(
        target.threadTs
          ? { channel_id: target.channel, thread_ts: target.threadTs, ...file }
          : { channel_id: target.channel, ...file },
      );
    } catch (err) {
      logger.warn({ failure: failureOf(err) }, "slack: uploading a chart failed");
      return notice(slackErrorOf(err));
    }
  }
  return undefined;
}
