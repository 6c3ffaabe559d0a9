import { z } from "zod";

/** The `teams` section of the bot's config file. */
export const teamsSectionSchema = z.object({}).strict();
export type TeamsSection = z.infer<typeof teamsSectionSchema>;
