/** Who asked, and where: enough for access checks, audit and replies. */
export interface Caller {
  platform: "shell" | "cli" | "slack" | "teams";
  userId: string;
  userName?: string;
  /** Channel / conversation the command came from, when there is one. */
  conversationId?: string;
  /** Group memberships the platform told us about (Slack user groups, AAD groups). */
  groups?: string[];
}
