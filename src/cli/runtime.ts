/** What a run needs, in one module the CLI loads after --help/--version (those answer at once). */
export { loadConfigFile, mergeConfig, validateOverrides } from '../config/load.js';
export { driftPlan, parseJudging } from '../config/drift-plan.js';
export { resolveXenChoice } from '../config/xen-choice.js';
export { bootCommand, bootSteps } from '../commands/boot.js';
export { judgeDrift, runDrift } from '../commands/drift.js';
export { assertOutApart, mergeDrift } from '../commands/drift-merge.js';
export { learn, LEARN_STEPS } from '../commands/learn.js';
export { renderDriftMatrix } from '../report/drift-report.js';
export { createProgress } from '../report/progress.js';
export { renderSummary } from '../report/summary.js';
export { runCommand } from '../run/run.js';
