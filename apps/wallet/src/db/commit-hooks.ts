/**
 * Work to do once a transaction has committed (and only then): e.g. handing its outbox events to
 * delivery at once. Keyed by the transaction's handle, so a retried attempt (a new handle) never
 * runs the hooks of the attempt that lost its race.
 */
const hooks = new WeakMap<object, (() => void)[]>();

/** Starts collecting hooks for a transaction handle (the transaction helpers call this). */
export function trackCommit(tx: object): void {
  hooks.set(tx, []);
}

/**
 * Registers `hook` to run after `tx` commits. Returns false when `tx` is not a tracked
 * transaction (an autocommit query): then nothing will run and the caller must not count on it.
 */
export function onCommit(tx: object, hook: () => void): boolean {
  const list = hooks.get(tx);
  if (!list) return false;
  list.push(hook);
  return true;
}

/** Forgets what was registered so far (the work it belonged to was rolled back to a savepoint). */
export function discardCommitHooks(tx: object): void {
  if (hooks.has(tx)) hooks.set(tx, []);
}

/** Runs `tx`'s hooks after its COMMIT succeeded; a hook's own failure is not the transaction's. */
export function committed(tx: object): void {
  const list = hooks.get(tx) ?? [];
  hooks.delete(tx);
  for (const hook of list) {
    try {
      hook();
    } catch {
      // Hooks are best-effort fast paths (the outbox relay is the safety net).
    }
  }
}
