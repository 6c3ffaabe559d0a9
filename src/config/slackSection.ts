import { z } from "zod";

/** The `slack` section of the bot's config file. */
export const slackSectionSchema = z.object({}).strict();
export type SlackSection = z.infer<typeof slackSectionSchema>;
