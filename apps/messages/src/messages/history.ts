import { DynamoDBDocumentClient, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { Inject, Injectable } from '@nestjs/common';
import type { Gauge } from 'prom-client';
import { AppError } from '@paychat/errors';
import { APP_CONFIG, decodeCursor, type Page, pageOf } from '@paychat/platform';
import { Metrics } from '@paychat/telemetry';
import { Membership } from '../conversations/membership';
import { convPk, messageId, MSG_FIRST, MSG_LAST, msgSk, parseMessageId } from '../db/keys';
import { MessageSignals } from '../delivery/message-signals';
import type { Carried } from '../delivery/signal-chat';
import type { MessagesEnv } from '../messages.env';
import { MessageItem, MessageView, toMessageView } from './message';
import type { HistoryQuery } from './messages.dto';
import { ReadPointers } from './read-pointers';

/** Newest first below `seq` ("before"), or oldest first above it ("after"); `seq` null = from the top. */
interface Anchor {
  direction: 'before' | 'after';
  seq: number | null;
}

/** A page continues in its direction from its last message. */
interface HistoryCursor {
  direction: Anchor['direction'];
  id: string;
}

const invalid = (field: string, message: string) =>
  new AppError('validation_failed', 'Request is invalid', [{ field, message }]);

/**
 * History by key range on the sequence. Sequences are assigned in the same transaction as the
 * message, so a range never skips a message that commits later. A long-poll subscribes first,
 * then reads: any message committing after the read signals it (MessageSignals), carrying the
 * message, so a woken poll usually answers without reading; a poll whose anchor is the chat's
 * latest seq as this instance knows it does not read first either. It still re-reads every
 * LONG_POLL_RECHECK_MS in case a signal was lost.
 */
@Injectable()
export class History {
  private readonly table: string;
  private readonly recheckMs: number;
  private readonly waiting: Gauge;

  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly membership: Membership,
    private readonly signals: MessageSignals,
    private readonly pointers: ReadPointers,
    @Inject(APP_CONFIG) config: MessagesEnv,
    metrics: Metrics,
  ) {
    this.table = config.MESSAGES_TABLE;
    this.recheckMs = config.LONG_POLL_RECHECK_MS;
    this.waiting = metrics.gauge({
      name: 'messages_long_polls_in_flight',
      help: 'Long-polls this instance holds open',
    });
  }

  /** `ended`: the client went away or the app is stopping; a long-poll answers with what it has. */
  async read(
    convId: string,
    userId: string,
    q: HistoryQuery,
    ended?: AbortSignal,
  ): Promise<Page<MessageView>> {
    const anchor = this.anchor(convId, q);
    if (q.waitSeconds > 0 && anchor.direction !== 'after')
      throw invalid('waitSeconds', 'needs after (long-polling waits for newer messages)');
    if (q.waitSeconds === 0)
      return this.checkedPage(convId, userId, anchor, q.limit, this.page(convId, anchor, q.limit));
    const deadline = Date.now() + q.waitSeconds * 1000;
    const after = anchor.seq ?? 0;
    const watch = await this.signals.watch(convId, after);
    /** The messages after `after`: from a wake-up's signal when it carries them, else a Query. */
    const read = async (carried?: Carried): Promise<Page<MessageView>> => {
      const signalled = carried && carriedPage(after, carried, q.limit);
      if (signalled) return signalled;
      const learn = watch.reading();
      const page = await this.page(convId, anchor, q.limit);
      if (!page.nextCursor) learn(page.items.length ? seqOf(page.items[page.items.length - 1]) : after);
      return page;
    };
    this.waiting.inc();
    try {
      // This instance would have heard of anything newer: wait at once, no first Query.
      let next = watch.latest() === after ? Promise.resolve(emptyPage()) : read();
      for (;;) {
        // Every wake re-checks membership: a member who left meanwhile gets 404.
        const page = await this.checkedPage(convId, userId, anchor, q.limit, next);
        const left = deadline - Date.now();
        if (page.items.length > 0 || left <= 0 || ended?.aborted) return page;
        const wait = Math.min(left, this.recheckMs);
        await this.pointers.markPolling(userId, convId, deadline, Date.now() + wait);
        next = read(await watch.next(wait, ended));
      }
    } finally {
      watch.close();
      this.waiting.dec();
    }
  }

  /**
   * Membership and the page read at once; the page is only returned if the check passes, and
   * without what the member may not read (a group newcomer: messages from before they joined).
   * Sequences have no gaps, so a newest-first page that reaches the first readable message has
   * nothing older to give; an oldest-first one that starts before it is read again from there.
   */
  private async checkedPage(
    convId: string,
    userId: string,
    anchor: Anchor,
    limit: number,
    page: Promise<Page<MessageView>>,
  ): Promise<Page<MessageView>> {
    const [from, checked] = await Promise.all([this.membership.check(convId, userId), page]);
    const { items } = checked;
    if (items.length === 0) return checked;
    if (anchor.direction === 'before')
      return seqOf(items[items.length - 1]) > from
        ? checked
        : { items: items.filter((m) => seqOf(m) >= from), nextCursor: null };
    return seqOf(items[0]) >= from
      ? checked
      : this.page(convId, { direction: 'after', seq: from - 1 }, limit);
  }

  private async page(convId: string, anchor: Anchor, limit: number): Promise<Page<MessageView>> {
    const forward = anchor.direction === 'after';
    const from = forward && anchor.seq !== null ? msgSk(anchor.seq + 1) : MSG_FIRST;
    const to = !forward && anchor.seq !== null ? msgSk(anchor.seq - 1) : MSG_LAST;
    if (from > to) return { items: [], nextCursor: null };
    const out = await this.db.send(
      new QueryCommand({
        TableName: this.table,
        KeyConditionExpression: 'PK = :pk AND SK BETWEEN :from AND :to',
        ExpressionAttributeValues: { ':pk': convPk(convId), ':from': from, ':to': to },
        ScanIndexForward: forward,
        Limit: limit + 1,
        ConsistentRead: true,
      }),
    );
    return pageOf(
      (out.Items ?? []) as MessageItem[],
      limit,
      toMessageView,
      (last) => ({ direction: anchor.direction, id: messageId(convId, last.seq) }) satisfies HistoryCursor,
    );
  }

  /** At most one of before / after / cursor; each must name a message of this conversation. */
  private anchor(convId: string, q: HistoryQuery): Anchor {
    const given = (['before', 'after', 'cursor'] as const).filter((k) => q[k] !== undefined);
    if (given.length > 1) throw invalid(given[1], `cannot be combined with ${given[0]}`);
    if (given.length === 0) return { direction: 'before', seq: null };
    const field = given[0];
    const { direction, id } =
      field === 'cursor'
        ? decodeCursor<HistoryCursor>(
            q.cursor!,
            (c) => (c.direction === 'before' || c.direction === 'after') && typeof c.id === 'string',
          )
        : { direction: field, id: q[field]! };
    const parsed = parseMessageId(id);
    if (parsed?.conversationId !== convId) throw invalid(field, 'is not a message of this conversation');
    return { direction, seq: parsed.seq };
  }
}

const emptyPage = (): Page<MessageView> => ({ items: [], nextCursor: null });
const seqOf = (m: MessageView) => parseMessageId(m.id)!.seq;

/**
 * The page a Query after `after` would answer, from a signal's messages, when they continue right
 * after it (a gap, or none carried: null, so the caller Queries). Messages beyond a gap may not be
 * all there is, but a page ending before them is what a Query a moment earlier would have read.
 */
function carriedPage(after: number, carried: Carried, limit: number): Page<MessageView> | null {
  const rows: MessageView[] = [];
  for (let seq = after + 1; rows.length <= limit && carried.has(seq); seq++) rows.push(carried.get(seq)!);
  if (rows.length === 0) return null;
  return pageOf(
    rows,
    limit,
    (m) => m,
    (last) => ({ direction: 'after', id: last.id }) satisfies HistoryCursor,
  );
}
