/** The --help text: commands, options and exit codes (kept beside the code that defines them). */
import { codeRows } from '../base/errors.js';

/** `text` in lines of at most `width` characters, broken between words, the later ones indented by `indent`. */
function wrap(text: string, width: number, indent: string): string {
  const lines: string[] = [];
  let line = '';
  for (const word of text.split(' ')) {
    if (line && line.length + 1 + word.length > width) {
      lines.push(line);
      line = word;
    } else line = line ? `${line} ${word}` : word;
  }
  lines.push(line);
  return lines.join(`\n${indent}`);
}

/** One row per code, from the one table in base/errors.ts (as README's exit-code table is), within 100 columns. */
const EXIT_TABLE = codeRows()
  .sort((a, b) => a.exit - b.exit)
  .map((row) => `  ${String(row.exit).padStart(3)}  ${row.code.padEnd(20)} ${wrap(row.meaning, 72, ' '.repeat(28))}`)
  .join('\n');

export const HELP = `xen-dom0-boot: boot Xen under QEMU and learn the addresses it picks for Dom0.

Usage:
  xen-dom0-boot boot [options]      build Dom0, boot, learn, regenerate the overlay, rebuild, confirm Dom0 up
  xen-dom0-boot check [--fix] [opts] nightly: build with the committed overlay, boot once, confirm;
                                    exit 16 with a table when the layout drifted; --fix rewrites them
  xen-dom0-boot drift [options]     boot one image per combination of --xen, --memory, --dom0-mem
                                    (comma lists) and --xen-args (repeatable), --jobs N at once
  xen-dom0-boot drift merge DIR...  join the run folders of drift --shard runs into one table,
                                    drift.json, drift.html, JUnit and exit code
  xen-dom0-boot learn [options]     boot a given image once, report Dom0's layout (report.json + summary)
  xen-dom0-boot --help | --version

Options for boot (also settable in the --config file; the learn options below apply too):
  --builder demo|west|cmake  how Dom0 is built (default demo; "command" only through the config file)
  --app PATH           Zephyr application folder (west/cmake; --app alone means west)
  --board NAME         Zephyr board (default qemu_cortex_a53)
  --toolchain zephyr-sdk|cross-compile  Zephyr's toolchain: the Zephyr SDK (default) or Debian's
                       aarch64-linux-gnu-gcc (npm run setup -- --zephyr-deps installs what it needs)
  --build-dir DIR      build folder, reused by every pass (demo: .state/dom0-demo/build; Zephyr: <app>/build-xen-dom0)
  --overlay FILE       the overlay the tool maintains, lock beside it as FILE.lock.json
                       (demo: .state/dom0-demo/xen-dom0.overlay; Zephyr: <app>/xen-dom0.overlay)
  --max-passes N       give up when the layout still moves after N passes (default 3)
  --dom0-timeout SEC   how long Dom0 has after the hand-over to print its success pattern (default 20)
  --build-timeout SEC  deadline of each build (default 1800)
  --success REGEX      Dom0's success pattern; repeat for several, all must be seen
                       (default: demo "dom0-demo: match" and its banner; Zephyr "*** ... ***")
  --failure REGEX      Dom0's own failure pattern (default demo "^dom0-demo: FAIL")
                       (patterns: JavaScript syntax run by RE2 in linear time; no backreferences or lookaround)
  --pristine           delete what the tool's earlier builds made in the build folder (never your files)
  --observe-dom0       also watch Dom0 on a pass whose layout was wrong (records how it fails)
  --start-layout auto|probe|placeholder  the first layout when no lock applies: a record of
                       a boot with the same inputs, else a probe boot (auto, default); a probe
                       boot with a stand-in image (probe); the seed's values (placeholder)

Options for learn and boot (each also settable as a field of the --config JSON file):
  --config FILE        JSON config file; fields: profile xen qemu image dtb memory dom0Mem
                       xenArgs dom0Args loadAddr out timeout logLevel, and for boot: build
                       overlay maxPasses dom0Timeout buildTimeout successPatterns failurePattern
                       pristine observeDom0 startLayout (CLI options win; paths relative to the file)
  --image PATH         learn: Dom0 image (arm64 Image); default: the project's test image
  --xen PATH           Xen binary; default: .cache/xen/4.17/xen from npm run setup
  --qemu PATH          qemu-system-aarch64; default: Zephyr SDK's (ZEPHYR_SDK_INSTALL_DIR), else
                       .cache/qemu/ (QEMU 10 from npm run setup), else PATH; older than 8.2 is warned about
  --dtb PATH           your own .dts/.dtb for Xen; only the boot module's size is patched
  --memory SIZE        QEMU memory, e.g. 6G (default from the profile: 6G)
  --dom0-mem SIZE      Xen's dom0_mem (default 256M)
  --xen-args "ARGS"    appended to Xen's command line (e.g. "console_timestamps=boot")
  --dom0-args "ARGS"   Dom0's command line, xen,dom0-bootargs (default console=hvc0)
  --load-addr HEX      where QEMU's loader puts the image (default 0x40600000)
  --profile NAME|FILE  QEMU machine profile from qemu/ (default virt-cortex-a53)
  --out DIR            run directory (default runs/learn-<time>-<pid>)
  --timeout SECONDS    deadline for Xen's hand-over to Dom0 (default 60)
  --xen-timeout SEC    deadline for Xen's first line (default 15): past it, Xen is silent
  --log-level LEVEL    fatal|error|warn|info|debug|trace|silent (default info; log: <run>/tool.log)
  --verbose            also stream the log to stderr
  --json               print report.json instead of the summary
  --print-qemu-cmd     learn: make the dtb, print the exact QEMU command, do not boot
  --junit FILE         also write JUnit XML, failed or not (a test case per step; drift: per combination)
  --bundle FILE.tgz    also pack the run folder (logs, dtbs, overlays, reproduce.sh, versions.json)
  --jobs N             drift: boots at once (default: the number of cores)
  --shard K/N|auto     drift: boot shard K of N of the matrix (auto: CI_NODE_INDEX/CI_NODE_TOTAL)
  --fail-on failure|drift|never  drift, drift merge: exit 17 when combinations failed (default),
                       also 18 when a layout moved (drift), or 0 (never)
  --baseline FILE      drift, drift merge: compare each combination with this drift.json's row

Exit codes:
${EXIT_TABLE}
`;
