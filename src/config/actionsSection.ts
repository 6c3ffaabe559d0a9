import { z } from "zod";
import { guardedActionSchema } from "../wire/agentApi.js";

/**
 * The `actions` section: guarded actions the bot may ask agents for. Each one is
 * off unless listed here AND enabled in the node agent's own config.
 */
export const actionsSectionSchema = z
  .object({
    enabled: z.array(guardedActionSchema).default([]),
  })
  .strict();
export type ActionsSection = z.infer<typeof actionsSectionSchema>;
