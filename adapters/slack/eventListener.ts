import type { App } from "@slack/bolt";
import type { AdapterContext } from "./adapterContext.js";
import { publishAppHome } from "./appHome.js";
import { answerMessageEvent } from "./conversationListeners.js";

/**
 * One Bolt listener for every Events API event the app subscribes to. Bolt runs
 * each registered listener's middleware for every incoming request, slash
 * commands included, so fewer listeners keep the acknowledgement path short.
 */
export function registerEventListener(app: App, ctx: AdapterContext): void {
  app.event(/^(app_mention|message|app_home_opened)$/, async ({ event }) => {
    if (event.type === "app_home_opened") await publishAppHome(ctx, event);
    else await answerMessageEvent(ctx, event);
  });
}
