import { Logger } from '@nestjs/common';

/**
 * A query behind gauges, run when the metrics are scraped (nothing runs while nobody looks). The
 * gauges of one scrape are collected together, so they share one run of it. A failed query must
 * not fail the scrape: it reads as undefined (the gauges then have no sample — no data, never a
 * false 0) and is logged when it starts failing and when it recovers, not on every scrape.
 */
export class ScrapeTimeReading<T> {
  private readonly logger = new Logger(ScrapeTimeReading.name);
  private running?: Promise<T | undefined>;
  private failing = false;

  constructor(
    private readonly name: string,
    private readonly query: () => Promise<T>,
  ) {}

  read(): Promise<T | undefined> {
    this.running ??= this.run().finally(() => (this.running = undefined));
    return this.running;
  }

  private async run(): Promise<T | undefined> {
    try {
      const value = await this.query();
      if (this.failing) this.logger.log({ reading: this.name }, 'metrics reading recovered');
      this.failing = false;
      return value;
    } catch (err) {
      if (!this.failing)
        this.logger.warn({ reading: this.name, err: (err as Error).message }, 'metrics reading failed');
      this.failing = true;
      return undefined;
    }
  }
}
