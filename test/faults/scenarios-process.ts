/** Fault scenarios: process (issue "One process core, and no input, signal or full disk ..."). */
import type { Guests } from './guests.js';
import type { Scenario } from './harness.js';

export function processScenarios(_guests: Guests): Scenario[] {
  return [];
}
