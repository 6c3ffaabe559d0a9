import { describe, expect, it } from "vitest";
import { ShellDelivery } from "../../adapters/shell/shellDelivery.js";
import { renderPlainText } from "../../src/reply/plainText.js";
import { type Reply, reply } from "../../src/reply/reply.js";

describe("ShellDelivery", () => {
  const to = { platform: "shell" as const, conversationId: "console" };

  it("keeps messages posted before a console is attached and prints them on attach, in order", async () => {
    const delivery = new ShellDelivery();
    const first = await delivery.post(to, reply("scan-02: scan stalled").build());
    await delivery.post(to, reply("scan-03: scanner error").build());
    const printed: Reply[] = [];
    delivery.attach({ notify: (r) => printed.push(r) });
    expect(printed.map((r) => r.text)).toEqual(["scan-02: scan stalled", "scan-03: scanner error"]);
    expect(first).toEqual({ platform: "shell", conversationId: "console", messageId: "shell-1" });

    const recovery = await delivery.post(to, reply("Recovered: scan-02").build(), { threadOf: first });
    expect(recovery.threadId).toBe("shell-1");
    expect(printed[2]?.text).toBe("Recovered: scan-02");
    expect(renderPlainText(printed[2] as Reply)).toContain("(re: message shell-1)");
    // A console cannot edit what it printed: an update adds nothing.
    await delivery.update(first, reply("Resolved").build());
    expect(printed).toHaveLength(3);
  });

  it("prints a live card's post and each changed edit as one progress line, alerts under it without a reference", async () => {
    const delivery = new ShellDelivery();
    const lines: string[] = [];
    const printed: Reply[] = [];
    const card = await delivery.post(to, reply("contoso-demo scanning: 120 files").build(), { liveCard: true });
    delivery.attach({ notify: (r) => printed.push(r), progress: (line) => lines.push(line) });
    await delivery.update(card, reply("contoso-demo scanning: 480 files · 1,400 files/h").build());
    // The same line again prints nothing: the console shows changes only.
    await delivery.update(card, reply("contoso-demo scanning: 480 files · 1,400 files/h").build());
    const stall = await delivery.post(to, reply("scan-02: scan stalled").build(), { threadOf: card });
    expect(lines).toEqual(["contoso-demo scanning: 120 files", "contoso-demo scanning: 480 files · 1,400 files/h"]);
    expect(printed.map((r) => r.text)).toEqual(["scan-02: scan stalled"]);
    expect(renderPlainText(printed[0] as Reply)).not.toContain("(re: message");
    // A restarted console edits a card an earlier run posted: its id says it is a card.
    const restarted = new ShellDelivery();
    restarted.attach({ notify: (r) => printed.push(r), progress: (line) => lines.push(line) });
    await restarted.update(card, reply("contoso-demo scanning: 900 files").build());
    await restarted.update(stall, reply("Resolved").build());
    expect(lines.at(-1)).toBe("contoso-demo scanning: 900 files");
    expect(printed).toHaveLength(1);
  });
});
