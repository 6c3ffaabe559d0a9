/**
 * Secrets in config files are references, never values: `env:NAME` (an environment variable) or, where
 * the program can read one, `file:PATH` (a file holding the secret). A secret written in a file ends up
 * in backups, diffs and screenshots of it. The node agent refuses anything else; the bot's
 * `config check` warns.
 */

/** `env:SCANNER_PROD_SECRET`: the whole value names one environment variable. */
export const envReference = /^env:([A-Za-z_][A-Za-z0-9_]*)$/;

const fileReference = /^file:.+$/;

/** What to write instead of a secret, for messages about one written in a config file. */
export function secretReferenceAdvice(options: { files: boolean }): string {
  const write = options.files
    ? "env:NAME (an environment variable) or file:PATH (a file holding the secret)"
    : "env:NAME and set that environment variable";
  return `write ${write}; secrets are not written in the config`;
}

/** Is `value` a reference (`env:NAME`, or `file:PATH` where files are allowed) rather than the secret itself? */
export function isSecretReference(value: string, options: { files: boolean }): boolean {
  return envReference.test(value) || (options.files && fileReference.test(value));
}
