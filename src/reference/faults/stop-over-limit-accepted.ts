import type { Fault } from './fault.js';

/**
 * Accepts up to twice `max_stop_sequences` stop strings (the /info limit it advertises is not
 * the one it enforces) where TGI answers 422 "`stop` supports up to {max} stop sequences".
 * @see tgi-behavior.md §2c rule 9 (validation.rs:289)
 */
export const stopOverLimitAccepted: Fault = {
  name: 'stop-over-limit-accepted',
  description: 'accepts more stop sequences than the max_stop_sequences it advertises in /info',
  detectedBy: 'negative-data-rejection',
  overrideValidation: (failure, ctx) => {
    const stop = ctx.request?.parameters.stop ?? [];
    // Twice the limit: the message carries it ("supports up to {max}") as "max …".
    const max = /supports up to (\d+)/.exec(failure.body.error)?.[1];
    return failure.rule === '9' && max !== undefined && stop.length <= 2 * Number(max) ? null : failure;
  },
};
