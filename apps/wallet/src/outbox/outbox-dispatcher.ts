import { setTimeout as sleep } from 'node:timers/promises';
import { Inject, Injectable, Logger, OnModuleDestroy } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { MAX_EVENT_BATCH } from '@paychat/contracts';
import { APP_CONFIG } from '@paychat/platform';
import type { WalletEnv } from '../wallet.env';
import { OutboxDelivery } from './outbox-delivery';
import type { PublishedEvent } from './outbox-publisher';
import { OutboxRepository } from './outbox.repository';

/** Deliveries in flight at once; while they are busy, new events queue up and leave as one batch. */
const MAX_IN_FLIGHT = 4;
/** Beyond this the fast path sheds new events: the relay delivers them (nothing is lost). */
const MAX_QUEUED = 10_000;

interface Queued {
  event: PublishedEvent;
  at: number;
}

/**
 * The fast path: events leave as soon as their transaction commits, from the process that wrote
 * them, after the response and with no transaction or lock held. Each event's row is leased to this
 * path for OUTBOX_FAST_PATH_LEASE_MS (renewed while its delivery is in flight); whatever it has not
 * confirmed by then (crash, messages down, overload) the relay delivers. Per chat, events leave in
 * commit order and one batch at a time; an event whose chat still has an older undelivered event
 * elsewhere (another replica, the relay's backlog) is left to the relay, so nothing overtakes. After a failed delivery the fast path pauses
 * until the relay has drained the backlog (a down consumer is not hammered once per commit).
 */
@Injectable()
export class OutboxDispatcher implements OnModuleDestroy {
  private readonly logger = new Logger(OutboxDispatcher.name);
  private readonly enabled: boolean;
  private readonly leaseMs: number;
  private queue: Queued[] = [];
  private readonly busyChats = new Set<string>();
  private readonly inFlight = new Set<Promise<void>>();
  private paused = false;
  private stopped = false;

  constructor(
    private readonly dataSource: DataSource,
    private readonly delivery: OutboxDelivery,
    private readonly rows: OutboxRepository,
    @Inject(APP_CONFIG) config: WalletEnv,
  ) {
    this.enabled = config.OUTBOX_FAST_PATH;
    this.leaseMs = config.OUTBOX_FAST_PATH_LEASE_MS;
  }

  /** Whether events written now should wait for this path (else they are the relay's at once). */
  get accepting(): boolean {
    return this.enabled && !this.paused && !this.stopped && this.queue.length < MAX_QUEUED;
  }

  dispatch(event: PublishedEvent): void {
    if (this.stopped) return;
    this.queue.push({ event, at: Date.now() });
    this.pump();
  }

  /** The relay found nothing left behind: the consumer is keeping up again. */
  resume(): void {
    this.paused = false;
  }

  async onModuleDestroy(): Promise<void> {
    this.stopped = true;
    this.queue = []; // their leases run out and the relay (of any replica) delivers them
    // A send in flight gets a second, like the jobs: one cut short is delivered again after its lease.
    await Promise.race([Promise.allSettled([...this.inFlight]), sleep(1_000, undefined, { ref: false })]);
  }

  private pump(): void {
    while (this.inFlight.size < MAX_IN_FLIGHT && !this.stopped) {
      const batch = this.take();
      if (batch.length === 0) return;
      const chats = new Set(batch.map((e) => e.orderingKey));
      chats.forEach((c) => this.busyChats.add(c));
      const sending: Promise<void> = this.send(batch).finally(() => {
        chats.forEach((c) => this.busyChats.delete(c));
        this.inFlight.delete(sending);
        this.pump();
      });
      this.inFlight.add(sending);
    }
  }

  /** The oldest events whose chat has no batch in flight; events near the end of their lease are the relay's. */
  private take(): PublishedEvent[] {
    const fresh = Date.now() - this.leaseMs / 2;
    const batch: PublishedEvent[] = [];
    const rest: Queued[] = [];
    for (const q of this.queue) {
      if (q.at < fresh) continue;
      if (batch.length < MAX_EVENT_BATCH && !this.busyChats.has(q.event.orderingKey)) batch.push(q.event);
      else rest.push(q);
    }
    this.queue = rest;
    return batch;
  }

  private async send(batch: PublishedEvent[]): Promise<void> {
    try {
      const report = await this.delivery.deliver(await this.deliverable(batch), this.leaseMs, 'fast');
      if (report.failed > 0) this.paused = true;
    } catch (err) {
      this.paused = true;
      this.logger.warn({ err: (err as Error).message, events: batch.length }, 'outbox fast path failed');
    }
  }

  /**
   * The events that committed, are still undelivered, and have no older undelivered event in their
   * chat outside this batch — one indexed read per batch.
   */
  private async deliverable(batch: PublishedEvent[]): Promise<PublishedEvent[]> {
    const ids = batch.map((e) => e.id);
    const ok = await this.rows.deliverable(this.dataSource, ids);
    return batch.filter((e) => ok.has(e.id));
  }
}
