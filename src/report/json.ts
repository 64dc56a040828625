/** `report.json`: the report as data, scrubbed of secrets. */
import type { TgcReport } from './report.js';

export function renderJsonReport(report: TgcReport, scrub: (text: string) => string): string {
  return `${scrub(JSON.stringify(report, null, 2))}\n`;
}
