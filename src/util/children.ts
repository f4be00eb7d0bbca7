/** Registry of live child processes so every exit path (signal, error) can stop them all. */

type Stopper = () => Promise<void>;

const live = new Set<Stopper>();

/** Registers a stop function; returns the function that unregisters it. */
export function trackChild(stop: Stopper): () => void {
  live.add(stop);
  return () => live.delete(stop);
}

/** Stops every tracked child (QEMU, builds); used on SIGINT/SIGTERM and fatal errors. */
export async function stopAllChildren(): Promise<void> {
  const stops = [...live];
  live.clear();
  await Promise.allSettled(stops.map((stop) => stop()));
}
