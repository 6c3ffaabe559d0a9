// Runs inside the headless browser page, next to Microsoft's `adaptivecards` and `markdown-it` bundles:
// draws one Teams message (its text and its card) and reports the renderer's parse warnings.
(() => {
  const AC = window.AdaptiveCards;
  let md;

  window.scannerCards = {
    /** Reads TextBlocks the way Teams does: markdown-it with Teams' options and without the rules it lacks. */
    setup(options, disabledRules) {
      md = window.markdownit(options).disable(disabledRules);
      AC.AdaptiveCard.onProcessMarkdown = (text, result) => {
        result.outputHtml = md.render(text);
        result.didProcess = true;
      };
    },
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
