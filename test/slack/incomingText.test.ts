import { describe, expect, it } from "vitest";
import { textFromSlack } from "../../adapters/slack/incomingText.js";

describe("text from Slack markup", () => {
  it("removes the bot's mention, unwraps links, channels and users, decodes entities", () => {
    expect(
      textFromSlack(
        "<@U0BOT> errors on <#C123|scanner-ops> since <!here>: see <https://learn.microsoft.com/x|the article> &lt;SQL&gt; &amp; <mailto:a@b.c|a@b.c> by <@U2|megan>",
        "U0BOT",
      ),
    ).toBe(
      "errors on #scanner-ops since @here: see the article (https://learn.microsoft.com/x) <SQL> & a@b.c by @megan",
    );
    expect(textFromSlack("<@U0BOT>   ", "U0BOT")).toBe("");
    expect(textFromSlack("ping <@U0BOT> status", "U0BOT")).toBe("ping  status");
  });
});
