/** The fault catalogue, in the order `tgc mock --list-faults` prints it. */
import type { Fault } from './fault.js';
import { generatedTokensOffByOne } from './generated-tokens-off-by-one.js';
import { streamIndexFromZero } from './stream-index-from-zero.js';
import { topPOneAccepted } from './top-p-one-accepted.js';

export const faults: readonly Fault[] = [
  // validation
  topPOneAccepted,
  // details
  generatedTokensOffByOne,
  // streams
  streamIndexFromZero,
];

/** The fault named `name`, if any. */
export function findFault(name: string): Fault | undefined {
  return faults.find((f) => f.name === name);
}

export { composeFaults } from './fault.js';
export type { Fault, FaultContext } from './fault.js';
