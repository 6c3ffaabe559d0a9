import { createHash } from "node:crypto";
import type { ChannelRef } from "../config/botConfig.js";
import type { Reply } from "../reply/reply.js";
import type { NotifyOnlyPlatform, Platform } from "./delivery.js";

/** A configured webhook channel, as deliveries need it: its conversation id and its (secret) URL. */
export interface WebhookTarget {
  platform: NotifyOnlyPlatform;
  /** The conversation id subscriptions and the notification log use; never the URL. */
  id: string;
  url: string;
  cluster: string;
}

/** Whether a platform is a webhook (post only) rather than a bot conversation. */
export function isNotifyOnly(platform: Platform): platform is NotifyOnlyPlatform {
  return platform === "slack-webhook" || platform === "teams-workflow";
}

/**
 * The conversation id of a configured channel. A webhook without a `name` gets one from a hash of its URL,
 * so the id is stable across restarts and reorderings and tells nothing of the URL.
 */
export function channelConversationId(channel: ChannelRef): string {
  if (!("url" in channel)) return channel.id;
  return channel.name ?? `hook-${createHash("sha256").update(channel.url).digest("hex").slice(0, 10)}`;
}

/** Every webhook channel of the given clusters, one entry per (cluster, webhook). */
export function webhookTargets(
  clusters: readonly { name: string; channels: readonly ChannelRef[] }[],
): WebhookTarget[] {
  return clusters.flatMap((cluster) =>
    cluster.channels.flatMap((channel) =>
      "url" in channel
        ? [{ platform: channel.platform, id: channelConversationId(channel), url: channel.url, cluster: cluster.name }]
        : [],
    ),
  );
}

/**
 * A reply as a webhook can carry it: buttons cannot call back, so each row of buttons becomes one line naming
 * the commands to type instead (in the scanner-bot console, or in chat once the app is installed).
 */
export function notifyOnlyReply(reply: Reply): Reply {
  const blocks = reply.blocks.map((block) => {
    if (block.kind !== "actions") return block;
    const commands = block.actions.map((a) => `\`${a.command}\``).join(", ");
    return {
      kind: "text" as const,
      text: `Next: ${commands}. Type them in the scanner-bot console, or after /scanner (Slack) or @scanner-bot (Teams) once the app is installed.`,
    };
  });
  return { ...reply, blocks };
}
