import { describe, expect, it } from "vitest";
import { explainText } from "../../src/knowledge/matcher.js";

const entryIds = (text: string) => explainText(text).findings.flatMap((f) => f.candidates.map((c) => c.entry.id));

describe("a known other cause on another line of the paste", () => {
  it("takes the bare 'Unable to connect' of a tool that prints each message on its own line", () => {
    // Shape of holdout8's https://github.com/cyanlabs/Syn3Updater/issues/99 (a WebException printed message by message).
    const text = [
      "Error: System.Net.WebException",
      "",
      "Message: Unable to connect to the remote server",
      "Message: The remote name could not be resolved: 'downloads.contoso.net'",
    ].join("\n");
    const explanation = explainText(text);
    expect(entryIds(text)).not.toContain("unable-to-connect-to-remote-server");
    expect(explanation.otherCauses.map((c) => c.cause.id)).toContain("host-unknown");
  });

  it("leaves the article's port exhaustion when its own 10048 wording is there", () => {
    const text = [
      "Message: Unable to connect to the remote server",
      "Message: Only one usage of each socket address (protocol/network address/port) is normally permitted 10.0.0.5:443",
      "Message: The remote name could not be resolved: 'downloads.contoso.net'",
    ].join("\n");
    expect(entryIds(text)).toContain("unable-to-connect-to-remote-server");
  });

  it("leaves the TLS case when its own inner error says TLS, beside an unrelated DNS line", () => {
    const text = [
      "System.Net.WebException: The underlying connection was closed: An unexpected error occurred on a send. ---> System.IO.IOException: Authentication failed because the remote party has closed the transport stream.",
      "",
      "WARN proxy lookup: The remote name could not be resolved: 'wpad'",
    ].join("\n");
    expect(entryIds(text)).toContain("underlying-connection-was-closed");
  });
});
