import { z } from "zod";

/** The `watch` section of the bot's config file. */
export const watchSectionSchema = z.object({}).strict();
export type WatchSection = z.infer<typeof watchSectionSchema>;
