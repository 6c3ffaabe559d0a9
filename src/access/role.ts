/** Roles in increasing order of power; each includes what the ones before it may do. */
export const roles = ["none", "viewer", "operator", "admin"] as const;
export type Role = (typeof roles)[number];

/** What a command needs: `anyone` (help), or a role. */
export type RequiredRole = "anyone" | Exclude<Role, "none">;

/** True when `role` is at least `required`. */
export function roleSatisfies(role: Role, required: RequiredRole): boolean {
  if (required === "anyone") return true;
  return roles.indexOf(role) >= roles.indexOf(required);
}
