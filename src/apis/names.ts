/**
 * The APIs' names alone, without their declarations: the command line offers them as choices
 * before it loads any API (`tgc --version` and `tgc --help` load no contract, check or engine).
 * The same names, in the same order, as `apis` in ./index.ts (a test holds them equal).
 */
import type { ApiName } from '../core/exchange.js';

export const API_NAMES: readonly ApiName[] = ['tgi', 'hf', 'openai'];
