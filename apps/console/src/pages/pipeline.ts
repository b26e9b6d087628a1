import type { OutboxEventPage, OutboxStatus } from '@paychat/client';
import { call, query } from '../api';
import { field, h, show, table } from '../dom';
import { t, time } from '../i18n';
import { button, facts, load, outcome, outcomeLine, section } from '../ui';

/** The outbox to the chat: what waits, since when, and the events the consumer refused. */
export function pipelinePage(main: HTMLElement): void {
  const summary = h('div');
  const rejected = h('div', { data: { testid: 'rejected' } });
  const reason = h('input', { name: 'reason', maxLength: 500 });
  const done = outcomeLine();
  const refresh = async () => {
    await Promise.all([
      load(summary, async () => {
        const s = await call<OutboxStatus>('GET', '/admin/v2/outbox');
        return facts(
          [
            [t('backlog'), String(s.backlog)],
            [
              t('oldestWaiting'),
              s.oldestWaitingAt ? `${time(s.oldestWaitingAt)} (${s.oldestWaitingAgeSeconds} s)` : '—',
            ],
            [t('rejected'), String(s.rejected)],
          ],
          'outbox-summary',
        );
      }),
      load(rejected, async () => {
        const page = await call<OutboxEventPage>('GET', `/admin/v2/outbox/rejected${query({ limit: 100 })}`);
        if (!page.items.length) return h('p', { className: 'muted' }, t('noneYet'));
        return table(
          [t('when'), t('topic'), 'id', t('attempts'), t('error'), t('requestId'), ''],
          page.items.map((e) => [
            time(e.rejectedAt ?? e.createdAt),
            e.topic,
            e.id,
            String(e.attempts),
            e.error ?? '',
            e.requestId ?? '',
            h('span', {}, act(e.id, 'retry'), act(e.id, 'dismiss')),
          ]),
        );
      }),
    ]);
  };
  /** Retry or dismiss one event: the reason is required and lands in the audit log. */
  const act = (id: string, what: 'retry' | 'dismiss') =>
    button(
      t(what),
      async () => {
        if (!reason.value.trim()) return outcome(done, { invalid: t('reasonRequired') });
        try {
          await call('POST', `/admin/v2/outbox/events/${encodeURIComponent(id)}/${what}`, {
            reason: reason.value.trim(),
          });
          outcome(done, { ok: t('done') });
          await refresh();
        } catch (error) {
          outcome(done, { error });
        }
      },
      `${what}-${id}`,
    );
  show(
    main,
    section(t('navPipeline'), summary, button(t('refresh'), refresh)),
    section(t('rejected'), h('div', { className: 'row' }, field(t('reason'), reason)), done, rejected),
  );
  void refresh();
}
