import { z } from "zod";

/** The `store` section of the bot's config file. */
export const storeSectionSchema = z.object({}).strict();
export type StoreSection = z.infer<typeof storeSectionSchema>;
