import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { decodeCursor, type Page, pageOf, type PageQuery } from '@paychat/platform';
import { OutboxRepository, type RejectedEventView } from '../outbox/outbox.repository';

/** The outbox row id to continue below. */
interface RejectedCursor {
  id: number;
}

/** The events the consumer rejected and nobody dismissed, newest first. */
@Injectable()
export class ListRejectedEvents {
  constructor(
    private readonly dataSource: DataSource,
    private readonly outbox: OutboxRepository,
  ) {}

  async execute(page: PageQuery): Promise<Page<RejectedEventView>> {
    const below = page.cursor
      ? decodeCursor<RejectedCursor>(page.cursor, (c) => Number.isSafeInteger(c.id)).id
      : Number.MAX_SAFE_INTEGER;
    const rows = await this.outbox.rejectedPage(this.dataSource.manager, page.limit + 1, below);
    return pageOf(
      rows,
      page.limit,
      ({ rowId: _rowId, ...event }) => event,
      (last) => ({ id: last.rowId }) satisfies RejectedCursor,
    );
  }
}
