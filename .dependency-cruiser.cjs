/* global module */
/**
 * The architecture as rules (`npm run lint` runs them): no cycles, and no folder of src/ imports a
 * folder above it in LAYERS (top first). The root holds only the command line's entry points.
 */
const LAYERS = [
  '', // src/*.ts: cli.ts (argv to config to run to print) and the installed command
  'cli', // argv, config from argv, --help, printing; runtime.ts: what a run needs, loaded after --help
  'commands', // learn, boot/check, drift: each the steps it runs
  'run', // the run skeleton: folder, logger, steps, failure capture, artifacts
  'pipeline', // one boot (with retry), the pass loop and its build and boot, drift combinations
  'report', // report.json and drift.json records, summary, tables, JUnit, versions.json, bundle, progress
  'overlay',
  'build',
  'devicetree',
  'image',
  'dtb',
  'qemu',
  'config',
  'serial',
  'xen',
  'util',
  'base', // errors, paths, version
];

const folder = (layer) => (layer === '' ? '^src/[^/]+$' : `^src/${layer}/`);

const upward = LAYERS.slice(1).map((layer, i) => ({
  name: `no-upward-from-${layer}`,
  comment: `src/${layer}/ may import only the folders below it: ${LAYERS.slice(i + 2).join(', ')}`,
  severity: 'error',
  from: { path: folder(layer) },
  to: { path: LAYERS.slice(0, i + 1).map(folder) },
}));

module.exports = {
  forbidden: [{ name: 'no-circular', severity: 'error', from: {}, to: { circular: true } }, ...upward],
  options: {
    doNotFollow: { path: 'node_modules' },
    exclude: { path: '^(node_modules|dist|test)' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: { extensions: ['.ts', '.cts', '.js'] },
  },
};
