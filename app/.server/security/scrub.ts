/**
 * Takes secrets out of text before it is logged, stored or shown: a channel's error message may
 * echo the token it refused. Each secret is replaced as written and URL-encoded (tokens travel in
 * query strings). Values shorter than 6 characters are left alone: they would mangle ordinary words,
 * and no real token or secret is that short.
 */
export const REDACTED = "[redacted]";
const MIN_SECRET_LENGTH = 6;

export function scrubSecrets(text: string, secrets: readonly (string | null | undefined)[]): string {
  let scrubbed = text;
  for (const secret of secrets) {
    if (!secret || secret.length < MIN_SECRET_LENGTH) continue;
    scrubbed = scrubbed.split(secret).join(REDACTED);
    const encoded = encodeURIComponent(secret);
    if (encoded !== secret) scrubbed = scrubbed.split(encoded).join(REDACTED);
  }
  return scrubbed;
}

/** The same for a parsed JSON value, keys included. */
export function scrubSecretsDeep<T>(value: T, secrets: readonly (string | null | undefined)[]): T {
  if (typeof value === "string") return scrubSecrets(value, secrets) as T;
  if (Array.isArray(value)) return value.map((entry: unknown) => scrubSecretsDeep(entry, secrets)) as T;
  if (typeof value === "object" && value !== null) {
    return Object.fromEntries(Object.entries(value as Record<string, unknown>).map(([key, entry]) => [scrubSecrets(key, secrets), scrubSecretsDeep(entry, secrets)])) as T;
  }
  return value;
}
