/**
 * The built-in reporters: each turns a finished report into the text of one file in the report
 * directory. They receive the report as data and never run checks. Callers scrub secrets from
 * the text they write (`createScrubber`), whatever the format.
 */
import { renderHtmlReport } from './html.js';
import { renderJsonReport } from './json.js';
import { renderJunitReport } from './junit.js';
import { renderMarkdownReport } from './markdown.js';
import type { TgcReport } from './report.js';

export type Reporter = (report: TgcReport) => string;

export const reporters = {
  json: (report: TgcReport): string => renderJsonReport(report, (text) => text),
  junit: renderJunitReport,
  md: renderMarkdownReport,
  html: renderHtmlReport,
} satisfies Record<string, Reporter>;

/** The `--format` names: `json`, `junit`, `md`, `html`. */
export type BuiltinReporter = keyof typeof reporters;

/** In the order `--format` lists them by default. */
export const BUILTIN_REPORTERS: readonly BuiltinReporter[] = ['json', 'junit', 'md', 'html'];

/** The file each reporter writes in the report directory. */
export const reportFileNames: Readonly<Record<BuiltinReporter, string>> = {
  json: 'report.json',
  junit: 'junit.xml',
  md: 'report.md',
  html: 'report.html',
};

export function isBuiltinReporter(name: string): name is BuiltinReporter {
  return Object.hasOwn(reporters, name);
}
