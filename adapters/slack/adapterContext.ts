import type { webApi } from "@slack/bolt";
import type { SlackSection } from "../../src/config/slackSection.js";
import type { Logger } from "../../src/foundation/logger.js";
import type { Reply } from "../../src/reply/reply.js";
import type { Router } from "../../src/routing/router.js";
import type { SlackMessage } from "./blockKit.js";
import type { ButtonValueCodec } from "./buttonValue.js";
import type { ResponseUrlPoster } from "./responseUrl.js";

/** What every Slack listener shares: the router, the renderer and a Web API client. */
export interface AdapterContext {
  router: Router;
  settings: SlackSection;
  logger: Logger;
  client: webApi.WebClient;
  buttons: ButtonValueCodec;
  /** Renders a reply within Slack's limits (50 blocks for messages, 100 for App Home). */
  render(reply: Reply, maxBlocks?: number): SlackMessage;
  /** Answers through a request's response_url (slash commands, shortcuts). */
  responseUrl: ResponseUrlPoster;
}
