/** The --help text: commands, options and exit codes (kept beside the code that defines them). */
import { EXIT_CODES } from './errors.js';

const EXIT_TABLE = [
  [EXIT_CODES.OK, 'ok: Xen handed over to Dom0 and the layout is complete'],
  [EXIT_CODES.INTERNAL, 'internal error (a bug: please report it with the run directory)'],
  [EXIT_CODES.USAGE, 'usage or config error, a file you named is missing, or your dtb disagrees with --load-addr'],
  [EXIT_CODES.TOOL_MISSING, 'a host tool or the Xen binary is missing (npm run setup installs them)'],
  [EXIT_CODES.IMAGE_BUILD_FAILED, 'the test image could not be built'],
  [EXIT_CODES.QEMU_START_FAILED, 'QEMU failed to start or exited early (its stderr is in the message)'],
  [EXIT_CODES.XEN_SILENT, 'Xen printed nothing before the boot deadline'],
  [EXIT_CODES.XEN_PANIC, 'Xen panicked'],
  [EXIT_CODES.DOM0_NOT_BUILT, "Xen could not build Dom0 (Xen's reason in the message)"],
  [EXIT_CODES.LAYOUT_INCOMPLETE, 'Xen handed over but some layout lines were missing'],
  [EXIT_CODES.HANDOVER_TIMEOUT, 'Xen started but did not hand over to Dom0 before the deadline'],
  [EXIT_CODES.DOM0_CRASHED, 'Dom0 crashed or halted'],
  [EXIT_CODES.DTB_FAILED, 'the device tree for Xen could not be made'],
  [EXIT_CODES.INTERRUPTED, 'interrupted (SIGINT/SIGTERM); QEMU was stopped'],
] as const;

export const HELP = `xen-dom0-boot: boot Xen under QEMU and learn the addresses it picks for Dom0.

Usage:
  xen-dom0-boot learn [options]     boot once, report Dom0's layout (report.json + summary)
  xen-dom0-boot --help | --version

Options for learn (each also settable as a field of the --config JSON file):
  --config FILE        JSON config file; fields: profile xen qemu image dtb memory dom0Mem
                       xenArgs dom0Args loadAddr out timeout logLevel (CLI options win)
  --image PATH         Dom0 image (arm64 Image); default: the project's test image
  --xen PATH           Xen binary; default: .cache/xen/4.17/xen from npm run setup
  --qemu PATH          qemu-system-aarch64; default: Zephyr SDK's (ZEPHYR_SDK_INSTALL_DIR), else PATH
  --dtb PATH           your own .dts/.dtb for Xen; only the boot module's size is patched
  --memory SIZE        QEMU memory, e.g. 6G (default from the profile: 6G)
  --dom0-mem SIZE      Xen's dom0_mem (default 256M)
  --xen-args "ARGS"    appended to Xen's command line (e.g. "console_timestamps=boot")
  --dom0-args "ARGS"   Dom0's command line, xen,dom0-bootargs (default console=hvc0)
  --load-addr HEX      where QEMU's loader puts the image (default 0x40600000)
  --profile NAME|FILE  QEMU machine profile from qemu/ (default virt-cortex-a53)
  --out DIR            run directory (default runs/learn-<time>-<pid>)
  --timeout SECONDS    boot deadline (default 60)
  --log-level LEVEL    fatal|error|warn|info|debug|trace|silent (default info; log: <run>/tool.log)
  --verbose            also stream the log to stderr
  --json               print report.json instead of the summary
  --print-qemu-cmd     make the dtb, print the exact QEMU command, do not boot

Exit codes:
${EXIT_TABLE.map(([code, text]) => `  ${String(code).padStart(3)}  ${text}`).join('\n')}
`;
