/**
 * Removes secrets from everything tgc writes: reports, records, progress lines. A server may
 * echo the token back in a body or a header, so scrubbing works on the final text, whatever
 * produced it, and also catches the token as JSON-escaped text.
 */
export function createScrubber(secrets: readonly (string | undefined)[]): (text: string) => string {
  const values = secrets.filter((s): s is string => typeof s === 'string' && s.length >= 4);
  if (values.length === 0) return (text) => text;
  const forms = new Set<string>();
  for (const v of values) {
    forms.add(v);
    forms.add(JSON.stringify(v).slice(1, -1)); // as it appears inside a JSON string
    forms.add(encodeURIComponent(v));
  }
  const sorted = [...forms].sort((a, b) => b.length - a.length);
  return (text) => {
    let out = text;
    for (const f of sorted) if (out.includes(f)) out = out.split(f).join('$HF_TOKEN');
    return out;
  };
}
