import type { BaseExchangeView } from '../../core/exchange.js';
import type { Finding } from '../../core/finding.js';

/** The findings that decoding made under a given check id (schema, framing). */
export function decodedFindings(view: BaseExchangeView, id: string): Finding[] {
  // A loop rather than filter(): several checks ask on every exchange, most often of none.
  const out: Finding[] = [];
  const all = view.decodeFindings;
  if (all !== undefined) for (let i = 0; i < all.length; i++) if ((all[i] as Finding).check === id) out.push(all[i] as Finding);
  return out;
}
