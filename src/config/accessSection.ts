import { z } from "zod";
import { durationSchema } from "../foundation/duration.js";

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
    /**
     * How long a group membership answer is reused before the platform is asked again: someone removed from a
     * group keeps its role at most this long. Default 5m.
     */
    groupCacheTtl: durationSchema
      .refine((ms) => ms >= 1_000 && ms <= 3_600_000, "access.groupCacheTtl must be between 1s and 1h")
      .default(300_000),
    /** How long one group lookup may take before the caller goes on with only their named roles. Default 2.5s. */
    groupLookupTimeout: durationSchema
      .refine((ms) => ms >= 100 && ms <= 10_000, "access.groupLookupTimeout must be between 100ms and 10s")
      .default(2_500),
  })
  .strict();
export type AccessSection = z.infer<typeof accessSectionSchema>;
