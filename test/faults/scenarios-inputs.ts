/** Fault scenarios: inputs (issue "One process core, and no input, signal or full disk ..."). */
import type { Guests } from './guests.js';
import type { Scenario } from './harness.js';

export function inputsScenarios(_guests: Guests): Scenario[] {
  return [];
}
