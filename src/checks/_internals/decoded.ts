import type { BaseExchangeView } from '../../core/exchange.js';
import type { Finding } from '../../core/finding.js';

/** The findings that decoding made under a given check id (schema, framing). */
export function decodedFindings(view: BaseExchangeView, id: string): Finding[] {
  return (view.decodeFindings ?? []).filter((f) => f.check === id);
}
