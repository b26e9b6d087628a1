import type { LedgerHealth, LedgerSnapshot as Pass } from '@paychat/client';
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
              [t('kind'), p.kind],
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
      const health = await call<LedgerHealth>('GET', '/admin/v2/ledger/health');
      return h(
        'div',
        { className: 'columns' },
        passCard(t('latestPass'), health, undefined, 'latest-pass'),
        passCard(t('lastFullPass'), health.lastFullPass, health.accountsTotal, 'full-pass'),
      );
    } catch (e) {
      if (e instanceof ApiError && e.code === 'not_found')
        return section(t('navLedger'), h('p', {}, t('noReconciliation')));
      throw e;
    }
  });
}
