import { z } from "zod";
import { freshRequestId, sendToSlackApp } from "../slack/slackHarness.js";

/**
 * The sending side of a load burst, as its own process (`--client process` in
 * bench:load), so the bot's ack latency is not the sender's CPU time too.
 * Reads the requests as JSON on stdin, sends them all at once, and prints one
 * JSON line: per request, the HTTP status, whether the ack carried an answer,
 * and the milliseconds to the ack.
 */
const inputSchema = z.object({
  url: z.string(),
  requests: z.array(z.object({ text: z.string(), responseUrl: z.string() })),
  fields: z.record(z.string(), z.string()),
});

const chunks: Buffer[] = [];
for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
const input = inputSchema.parse(JSON.parse(Buffer.concat(chunks).toString("utf8")));
const results = await Promise.all(
  input.requests.map(async ({ text, responseUrl }) => {
    const sentAt = performance.now();
    const answer = await sendToSlackApp(input.url, {
      kind: "form",
      // Each its own trigger_id, as Slack mints them: the bot drops a request whose id it has seen.
      fields: { ...input.fields, text, response_url: responseUrl, trigger_id: freshRequestId(`burst.${process.pid}.`) },
    });
    const ms = performance.now() - sentAt;
    const answered = answer.text ? Boolean((JSON.parse(answer.text) as { text?: string }).text) : false;
    return { status: answer.status, answered, ms };
  }),
);
process.stdout.write(`${JSON.stringify(results)}\n`);
