import type { ValidateFunction } from 'ajv/dist/2020.js';

/**
 * A validate function compiled on its first call, so that a command pays only for the schemas it
 * uses (`tgc validate response` never compiles a request schema). When `pending` is given, a way
 * to compile it at once is noted there: `tgc run` compiles its whole contract before its first
 * case (`ApiDefinition.warm`), so that no case waits for ajv inside the run. A validator that is
 * only reached on an error path (a schema's lenient twin, the original of a dispatched oneOf)
 * would otherwise compile on the first rejected request: on /v1 that was half a second, 15% of a
 * 100-example run's time, with every connection idle.
 */
export function lazy(make: () => ValidateFunction, pending?: (() => void)[]): ValidateFunction {
  let fn: ValidateFunction | undefined;
  const call = ((data: unknown) => {
    fn ??= make();
    const ok = fn(data);
    call.errors = fn.errors;
    return ok;
  }) as ValidateFunction;
  pending?.push(() => {
    fn ??= make();
  });
  return call;
}
