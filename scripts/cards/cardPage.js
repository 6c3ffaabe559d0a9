// Runs inside the headless browser page, next to Microsoft's `adaptivecards` and `markdown-it` bundles:
// draws one Teams message (its text and its card) and reports the renderer's parse warnings.
(() => {
  // Teams' card markdown: bold, italic, lists, links and backslash escapes; no inline code, headings or HTML
  // (https://learn.microsoft.com/microsoftteams/platform/task-modules-and-cards/cards/cards-format).
  const md = window
    .markdownit({ html: false, breaks: true, linkify: false })
    .disable([
      "backticks",
      "code",
      "fence",
      "heading",
      "lheading",
      "blockquote",
      "hr",
      "table",
      "image",
      "strikethrough",
      "reference",
      "autolink",
    ]);
  const AC = window.AdaptiveCards;
  AC.AdaptiveCard.onProcessMarkdown = (text, result) => {
    result.outputHtml = md.render(text);
    result.didProcess = true;
  };

  window.scannerCards = {
    /** Replaces the page with one message; returns the renderer's warnings. */
    render(card, text, host, name) {
      document.body.innerHTML = "";
      const message = document.createElement("div");
      message.className = "message";
      message.id = "message";
      const from = document.createElement("div");
      from.className = "from";
      from.textContent = `scanner-bot · ${name}`;
      message.appendChild(from);
      const bubble = document.createElement("div");
      bubble.className = "bubble";
      const warnings = [];
      if (text) {
        const p = document.createElement("div");
        p.className = "text";
        p.innerHTML = md.render(text);
        bubble.appendChild(p);
      }
      if (card) {
        const adaptive = new AC.AdaptiveCard();
        adaptive.hostConfig = new AC.HostConfig(host);
        const context = new AC.SerializationContext();
        adaptive.parse(card, context);
        for (let i = 0; i < context.eventCount; i++) warnings.push(context.getEventAt(i).message);
        const element = adaptive.render();
        if (element) bubble.appendChild(element);
        else warnings.push("the renderer produced nothing");
      }
      message.appendChild(bubble);
      document.body.appendChild(message);
      return warnings;
    },
  };
})();
