import type { LedgerSnapshot as Pass } from '@paychat/client';
import { ApiError, call } from '../api';
import { h, table } from '../dom';
import { t, time, yen } from '../i18n';
import { facts, load, section } from '../ui';

const passCard = (title: string, p: Pass | null, accountsTotal: number | undefined, testid: string) =>
  section(
    title,
    ...(p
      ? [
          facts(
            [
              [t('asOf'), time(p.asOf)],
              [t('kind'), p.kind ?? '—'],
              [
                t('accountsChecked'),
                accountsTotal === undefined
                  ? String(p.accountsChecked)
                  : `${p.accountsChecked} / ${accountsTotal}`,
              ],
              [t('totalBalance'), yen(p.totalBalance)],
              [
                t('mismatches'),
                h(
                  'strong',
                  { className: p.balanced ? 'good' : 'bad' },
                  p.balanced ? t('balanced') : `${t('unbalanced')} (${p.mismatches.length})`,
                ),
              ],
            ],
            testid,
          ),
          p.mismatches.length
            ? table(
                [t('kind'), t('details')],
                p.mismatches.map((m) => [m.kind, JSON.stringify(m)]),
              )
            : null,
        ]
      : [h('p', { className: 'muted' }, t('noneYet'))]),
  );

/** The latest reconciliation run beside the last full pass (which checks every account). */
export function ledgerPage(main: HTMLElement): void {
  void load(main, async () => {
    try {
      const health = await call<Pass & { lastFullPass?: Pass | null; accountsTotal?: number }>(
        'GET',
        '/admin/v2/ledger/health',
      );
      return h(
        'div',
        { className: 'columns' },
        passCard(t('latestPass'), health, undefined, 'latest-pass'),
        // Older servers answer the latest run only: then the full pass is not available.
        'lastFullPass' in health
          ? passCard(t('lastFullPass'), health.lastFullPass ?? null, health.accountsTotal, 'full-pass')
          : section(t('lastFullPass'), h('p', { className: 'notice' }, t('notAvailable'))),
      );
    } catch (e) {
      if (e instanceof ApiError && e.code === 'not_found')
        return section(t('navLedger'), h('p', {}, t('noReconciliation')));
      throw e;
    }
  });
}
