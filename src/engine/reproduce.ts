/**
 * The curl command that replays one exchange. The token is written as `$HF_TOKEN` (or the API's own variable), never its
 * value; the body goes in single quotes with embedded quotes escaped for POSIX shells.
 */
export interface ReproduceInput {
  method: string;
  url: string;
  /** Request headers as sent, without Authorization. */
  headers: Record<string, string>;
  /** Whether the case sent the user's token. */
  withToken: boolean;
  /** The environment variable the token is written as. @defaultValue 'HF_TOKEN' */
  tokenVar?: string;
  /** A wrong token, for auth cases (not a secret: tgc made it up). */
  wrongToken?: string;
  body?: string;
  stream: boolean;
}

export function curlCommand(input: ReproduceInput): string {
  const parts = ['curl', '-sS'];
  if (input.stream) parts.push('-N');
  parts.push('-X', input.method, quote(input.url));
  for (const [k, v] of Object.entries(input.headers)) parts.push('-H', quote(`${k}: ${v}`));
  if (input.withToken) parts.push('-H', `"Authorization: Bearer $${input.tokenVar ?? 'HF_TOKEN'}"`);
  else if (input.wrongToken !== undefined) parts.push('-H', quote(`Authorization: Bearer ${input.wrongToken}`));
  if (input.body !== undefined) parts.push('--data-binary', quote(input.body));
  return parts.join(' ');
}

function quote(text: string): string {
  return `'${text.replace(/'/g, `'\\''`)}'`;
}
