/** What a run needs, in one module the CLI loads after --help/--version (those answer at once). */
export { loadConfigFile, mergeConfig, validateOverrides } from './config/load.js';
export { driftPlan } from './config/drift-plan.js';
export { bootCommand } from './commands/boot.js';
export { runDrift } from './commands/drift.js';
export { learn } from './commands/learn.js';
export { renderDriftMatrix } from './report/drift-report.js';
export { createProgress } from './report/progress.js';
export { renderSummary } from './report/summary.js';
export { runCommand } from './run/run.js';
