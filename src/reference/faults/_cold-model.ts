/**
 * A serverless endpoint whose model is cold on every other request (replicas behind a load
 * balancer, some of them still loading): the hf faults need 503s to show, and a loading window
 * at start-up would be over before a run sends its judged cases.
 */

/** How long a cold replica says it still needs, in ms. */
export const COLD_LOADING_MS = 300;

/** A `loadingMs` hook: every other request finds the model loading (the faithful value otherwise). */
export function everyOtherRequestLoading(): (remainingMs: number) => number {
  let n = 0;
  return (remainingMs) => (n++ % 2 === 1 ? Math.max(remainingMs, COLD_LOADING_MS) : remainingMs);
}
