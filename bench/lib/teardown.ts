/**
 * What a benchmark started, stopped in reverse order — on success, on error and on Ctrl-C or
 * SIGTERM (the children run in their own process groups, so a terminal's Ctrl-C reaches only us).
 * A second signal exits at once; scripts/local/processes.ts then SIGKILLs every child it tracks.
 */
export class Teardown {
  private readonly stops: { what: string; stop: () => Promise<unknown> }[] = [];
  private done?: Promise<void>;

  constructor() {
    for (const signal of ['SIGINT', 'SIGTERM'] as const) {
      process.on(signal, () => {
        if (this.done) process.exit(130);
        process.stderr.write(`\n${signal}: stopping everything…\n`);
        void this.run().then(() => process.exit(130));
      });
    }
  }

  /** Registers something to stop; the last added is stopped first. */
  add(what: string, stop: () => Promise<unknown>): void {
    this.stops.unshift({ what, stop });
  }

  /** Stops everything once (later calls wait for the first); a failing stop does not stop the others. */
  run(): Promise<void> {
    this.done ??= (async () => {
      for (const { what, stop } of this.stops) {
        await stop().catch((err: Error) => process.stderr.write(`stopping ${what} failed: ${err.message}\n`));
      }
    })();
    return this.done;
  }
}
