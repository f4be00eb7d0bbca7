/** Retries a boot only when QEMU failed to start for a transient reason; everything else is final. */
import pRetry, { AbortError } from 'p-retry';
import type { Logger } from '../util/log.js';
import { bootOnce, type BootOptions, type BootRecord } from './boot.js';

/** QEMU's words for a resource that was briefly not there (a pidfile or image lock, memory). */
export const TRANSIENT_QEMU =
  /Resource temporarily unavailable|Failed to get "[^"]*" lock|Could not acquire pid file|Cannot allocate memory/i;

/** True for a failure worth a second attempt: QEMU exited before Xen spoke, for a transient reason. */
export function isTransientStart(record: BootRecord): boolean {
  const failure = record.failure;
  if (!failure?.is('QEMU_EXITED') || failure.stage !== 'qemu-start') return false;
  return failure.details.stderrTail.some((line) => TRANSIENT_QEMU.test(line));
}

class TransientStart extends Error {
  constructor(readonly record: BootRecord) {
    super(record.failure!.message);
  }
}

/** bootOnce, retried up to `retries` times (bounded, logged) for transient start failures only. */
export async function bootWithRetry(options: BootOptions, log: Logger, retries = 2): Promise<BootRecord & { attempts: number }> {
  let attempts = 0;
  let last: BootRecord | null = null;
  try {
    const record = await pRetry(
      async () => {
        attempts += 1;
        const record = await bootOnce(options);
        last = record;
        if (isTransientStart(record)) throw new TransientStart(record);
        return record;
      },
      {
        retries,
        minTimeout: 300,
        shouldRetry: ({ error }) => error instanceof TransientStart,
        onFailedAttempt: ({ error, attemptNumber, retriesLeft }) => {
          // p-retry calls this before it decides: the last transient failure is not retried.
          if (error instanceof TransientStart && retriesLeft > 0)
            log.warn({ attemptNumber, retriesLeft, reason: error.message }, 'QEMU failed to start for a transient reason; retrying');
        },
      },
    );
    return { ...record, attempts };
  } catch (error) {
    if (error instanceof TransientStart) return { ...error.record, attempts };
    if (error instanceof AbortError && last) return { ...(last as BootRecord), attempts };
    throw error;
  }
}
