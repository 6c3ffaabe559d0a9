import { z } from "zod";

/**
 * What a card button carries back to the bot. Teams returns `data` exactly as
 * the card held it, but anyone can post a crafted submit, so it is validated
 * like typed input: one line, bounded length, and (checked by the caller) a
 * command the router knows.
 */
export const cardActionDataSchema = z.object({
  scannerCommand: z
    .string()
    .trim()
    .min(1, "the button carried no command")
    .max(500, "the button's command is too long")
    .refine((line) => !/[\r\n]/.test(line), "the button's command spans several lines"),
  /** Set by the confirm button inside a dangerous action's confirmation card. */
  confirmed: z.boolean().optional(),
});
export type CardActionData = z.infer<typeof cardActionDataSchema>;

/** Builds the data object a button carries. */
export function cardActionData(command: string, confirmed?: boolean): CardActionData {
  return confirmed ? { scannerCommand: command, confirmed } : { scannerCommand: command };
}

/** True when an activity's `value` looks like one of our buttons (even a malformed one). */
export function isCardAction(value: unknown): boolean {
  return typeof value === "object" && value !== null && "scannerCommand" in value;
}
