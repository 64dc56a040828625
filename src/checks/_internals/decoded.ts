import type { ExchangeView } from '../../core/exchange.js';
import type { Finding } from '../../core/finding.js';

/** The findings that decoding made under a given check id (schema, framing). */
export function decodedFindings(view: ExchangeView, id: string): Finding[] {
  return (view.decodeFindings ?? []).filter((f) => f.check === id);
}
