/** What a run needs beyond argv parsing, in one module the CLI loads after --help/--version (those answer at once). */
export { loadConfigFile, mergeConfig, validateOverrides } from './config/load.js';
export { bootCommand } from './pipeline/boot-command.js';
export { runDrift } from './pipeline/drift.js';
export { learn } from './pipeline/learn.js';
export { renderDriftMatrix } from './report/drift-report.js';
export { packBundle, writeReproduce } from './report/bundle.js';
export { writeVersions } from './report/versions.js';
export { driftToJunit, reportToJunit } from './report/junit.js';
export { createProgress } from './report/progress.js';
export { renderSummary } from './report/summary.js';
export { writeFileAtomic } from './util/atomic-write.js';
