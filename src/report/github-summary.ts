/**
 * On GitHub Actions, `$GITHUB_STEP_SUMMARY` names a file whose Markdown becomes the job summary:
 * tgc appends report.md there. GitHub refuses a step summary over 1 MiB, so a longer report is
 * cut at a line, with a note pointing at the report files.
 */

/** GitHub's limit for one step's summary. */
export const GITHUB_SUMMARY_LIMIT_BYTES = 1024 * 1024;

export interface GithubSummaryOptions {
  /** The process environment: only `GITHUB_STEP_SUMMARY` is read. */
  env: Readonly<Record<string, string | undefined>>;
  /** Appends text to a file (`fs.promises.appendFile` in the CLI; a fake in tests). */
  append: (file: string, text: string) => Promise<void>;
}

export type GithubSummaryResult =
  | { written: false }
  | { written: true; file: string; truncated: boolean };

/** Appends `markdown` to `$GITHUB_STEP_SUMMARY` when it is set; does nothing otherwise. */
export async function appendGithubSummary(markdown: string, options: GithubSummaryOptions): Promise<GithubSummaryResult> {
  const file = options.env['GITHUB_STEP_SUMMARY'];
  if (file === undefined || file.trim() === '') return { written: false };
  const { text, truncated } = fitSummary(markdown, GITHUB_SUMMARY_LIMIT_BYTES - 1024);
  await options.append(file, text.endsWith('\n') ? `${text}\n` : `${text}\n\n`);
  return { written: true, file, truncated };
}

function fitSummary(markdown: string, limit: number): { text: string; truncated: boolean } {
  if (Buffer.byteLength(markdown, 'utf8') <= limit) return { text: markdown, truncated: false };
  const note = '\n\n*(cut here: GitHub limits a job summary to 1 MiB; report.md, report.html and report.json hold everything)*\n';
  const lines = markdown.split('\n');
  let size = Buffer.byteLength(note, 'utf8');
  let kept = 0;
  for (const line of lines) {
    const bytes = Buffer.byteLength(line, 'utf8') + 1;
    if (size + bytes > limit) break;
    size += bytes;
    kept++;
  }
  const head = lines.slice(0, kept);
  // An open code fence would swallow the note: close it.
  let fence: string | undefined;
  for (const line of head) {
    const m = /^(`{3,})/.exec(line);
    if (!m?.[1]) continue;
    if (fence === undefined) fence = m[1];
    else if (line.trim() === fence) fence = undefined;
  }
  return { text: `${head.join('\n')}${fence !== undefined ? `\n${fence}` : ''}${note}`, truncated: true };
}
