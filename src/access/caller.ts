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

/** The person in a `callerLabel` as chat shows them: `teams:29:1a2b… (Ana Lima)` → `Ana Lima`; the id when no name is known. */
export function personName(label: string): string {
  const named = /^[a-z]+:\S+ \((.+)\)$/.exec(label);
  return named?.[1] ?? label;
}
