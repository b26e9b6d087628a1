import type { AuditEntry, AuditEntryPage } from '@paychat/client';
import { call, query } from '../api';
import { type Child, field, h, show, table } from '../dom';
import { t, time } from '../i18n';
import { button, load, section } from '../ui';

/** A local datetime input's value as an instant (the API takes ISO 8601). */
const instant = (value: string) => (value ? new Date(value).toISOString() : undefined);

/** The audit log, newest first, filtered by the server (actor, action, subject, time window). */
export function auditPage(main: HTMLElement, subject?: string): void {
  const actor = h('input', { name: 'actorId', maxLength: 26 });
  const action = h('input', { name: 'action', maxLength: 64, placeholder: 'wallet.freeze' });
  const target = h('input', { name: 'targetId', maxLength: 64, value: subject ?? '' });
  const from = h('input', { name: 'from', type: 'datetime-local' });
  const to = h('input', { name: 'to', type: 'datetime-local' });
  const results = h('div', { data: { testid: 'audit' } });
  const rows: AuditEntry[] = [];

  const fetchPage = async (cursor?: string): Promise<Child[]> => {
    const page = await call<AuditEntryPage>(
      'GET',
      `/admin/v2/audit-log${query({
        limit: 50,
        cursor,
        actorId: actor.value.trim(),
        action: action.value.trim(),
        targetId: target.value.trim(),
        from: instant(from.value),
        to: instant(to.value),
      })}`,
    );
    rows.push(...page.items);
    return [
      table(
        [t('when'), t('actor'), t('action'), t('subject'), t('details'), t('requestId')],
        rows.map((e) => [
          time(e.createdAt),
          e.actorId,
          e.action,
          e.targetId ? `${e.targetType} ${e.targetId}` : e.targetType,
          e.details ? JSON.stringify(e.details) : '',
          h('code', {}, e.requestId),
        ]),
      ),
      page.nextCursor ? button(t('loadMore'), () => load(results, () => fetchPage(page.nextCursor!))) : null,
    ];
  };
  const form = h(
    'form',
    { className: 'row' },
    ...(
      [
        ['actor', actor],
        ['action', action],
        ['subject', target],
        ['since', from],
        ['until', to],
      ] as const
    ).map(([label, input]) => field(t(label), input)),
    h('button', { type: 'submit', textContent: t('search') }),
  );
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    rows.length = 0;
    void load(results, () => fetchPage());
  });
  show(main, section(t('navAudit'), form, results));
  void load(results, () => fetchPage());
}
