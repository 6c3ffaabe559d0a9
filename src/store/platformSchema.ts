import { z } from "zod";

/** The platforms a stored conversation, subscription or card belongs to (the Delivery's `Platform`). */
export const platformSchema = z.enum(["shell", "slack", "teams", "slack-webhook", "teams-workflow"]);
