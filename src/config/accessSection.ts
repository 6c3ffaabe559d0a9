import { z } from "zod";

/** A user or a group on one chat platform (Slack user / user-group id, Teams AAD object id / group id). */
export const principalSchema = z
  .object({
    platform: z.enum(["slack", "teams"]),
    user: z.string().min(1).optional(),
    group: z.string().min(1).optional(),
  })
  .strict()
  .refine((p) => Boolean(p.user) !== Boolean(p.group), { message: "give exactly one of `user` or `group`" });
export type Principal = z.infer<typeof principalSchema>;

export const channelRefSchema = z.object({ platform: z.enum(["slack", "teams"]), id: z.string().min(1) }).strict();
export type ChannelRef = z.infer<typeof channelRefSchema>;

/** The `access` section: who may do what, and where the bot answers people it doesn't know. */
export const accessSectionSchema = z
  .object({
    admins: z.array(principalSchema).default([]),
    operators: z.array(principalSchema).default([]),
    viewers: z.array(principalSchema).default([]),
    /** Channels where people who are not listed above get `unknownUsers`; empty = every channel. */
    allowedChannels: z.array(channelRefSchema).default([]),
    /** What people who are not listed get in an allowed channel. Elsewhere they get nothing. */
    unknownUsers: z.enum(["viewer", "none"]).default("viewer"),
  })
  .strict();
export type AccessSection = z.infer<typeof accessSectionSchema>;
