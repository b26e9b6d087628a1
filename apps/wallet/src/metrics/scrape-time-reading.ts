import { Logger } from '@nestjs/common';
import type { Gauge, LabelValues } from 'prom-client';
import type { Metrics } from '@paychat/telemetry';

/** One sample of a gauge: its labels (none for a gauge without labels) and its value. */
export interface Sample<L extends string> {
  labels?: LabelValues<L>;
  value: number;
}

/**
 * A query behind gauges, run when the metrics are scraped (nothing runs while nobody looks). The
 * gauges of one scrape are collected together, so they share one run of it. A failed query must
 * not fail the scrape: its gauges then have no sample (no data, never a false 0), and it is logged
 * when it starts failing and when it recovers, not on every scrape.
 */
export class ScrapeTimeReading<T> {
  private readonly logger = new Logger(ScrapeTimeReading.name);
  private running?: Promise<T | undefined>;
  private failing = false;

  constructor(
    private readonly name: string,
    private readonly query: () => Promise<T>,
  ) {}

  /** Registers a gauge whose samples are taken from this reading at each scrape. */
  gauge<L extends string = never>(
    metrics: Metrics,
    config: { name: string; help: string; labelNames?: L[] },
    samples: (reading: T) => Sample<L>[],
  ): void {
    const read = () => this.read();
    const labelled = Boolean(config.labelNames?.length);
    metrics.gauge<L>({
      ...config,
      async collect(this: Gauge<L>) {
        const reading = await read();
        this.reset();
        if (reading === undefined) {
          if (!labelled) this.remove(); // reset leaves a label-less gauge at 0
          return;
        }
        for (const sample of samples(reading)) this.set(sample.labels ?? {}, sample.value);
      },
    });
  }

  /** This scrape's reading: undefined when the query failed. */
  private read(): Promise<T | undefined> {
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
