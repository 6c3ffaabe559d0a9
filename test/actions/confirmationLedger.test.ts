import { describe, expect, it } from "vitest";
import { ConfirmationLedger } from "../../src/actions/confirmationLedger.js";
import { reply } from "../../src/reply/reply.js";

describe("confirmation ledger", () => {
  it("runs a confirmed action once; later clicks see the first outcome", () => {
    const ledger = new ConfirmationLedger(() => 0);
    const pending = ledger.request("restart-service", "node-1", "U1");
    expect(ledger.claim(pending.id, "restart-service", "node-1", "U1").kind).toBe("run");
    expect(ledger.claim(pending.id, "restart-service", "node-1", "U2").kind).toBe("running");
    ledger.complete(pending.id, reply("restarted").build());
    const again = ledger.claim(pending.id, "restart-service", "node-1", "U2");
    expect(again.kind).toBe("done");
    if (again.kind === "done") {
      expect(again.outcome.text).toBe("restarted");
      expect(again.pending.confirmedBy).toBe("U1");
    }
  });

  it("refuses an id used for another action or target", () => {
    const ledger = new ConfirmationLedger(() => 0);
    const pending = ledger.request("restart-service", "node-1", "U1");
    expect(ledger.claim(pending.id, "restart-service", "node-2", "U1").kind).toBe("mismatch");
    expect(ledger.claim(pending.id, "export-logs", "node-1", "U1").kind).toBe("mismatch");
    expect(ledger.claim("nope", "restart-service", "node-1", "U1").kind).toBe("unknown");
  });

  it("expires confirmations after the TTL", () => {
    let now = 0;
    const ledger = new ConfirmationLedger(() => now, 1000);
    const pending = ledger.request("stop-scan", "prod", "U1");
    now = 1001;
    expect(ledger.claim(pending.id, "stop-scan", "prod", "U1").kind).toBe("expired");
  });

  it("lets a failed run be confirmed again", () => {
    const ledger = new ConfirmationLedger(() => 0);
    const pending = ledger.request("export-logs", "node-1", "U1");
    expect(ledger.claim(pending.id, "export-logs", "node-1", "U1").kind).toBe("run");
    ledger.release(pending.id);
    expect(ledger.claim(pending.id, "export-logs", "node-1", "U1").kind).toBe("run");
  });

  it("stays bounded", () => {
    const ledger = new ConfirmationLedger(() => 0, 1000, 50);
    const first = ledger.request("export-logs", "n", "U");
    for (let i = 0; i < 200; i++) ledger.request("export-logs", "n", "U");
    expect(ledger.claim(first.id, "export-logs", "n", "U").kind).toBe("unknown");
  });
});
