import type { AdminUser, AdminUserDetail, AdminUserPage, TransactionPage } from '@paychat/client';
import { call, query } from '../api';
import { type Child, field, h, show, table } from '../dom';
import { t, time, yen } from '../i18n';
import { button, facts, load, outcome, outcomeLine, section } from '../ui';
import { reversePanel } from './reverse';

const userLink = (u: { userId: string; displayName: string }) =>
  h('a', { href: `#/users/${encodeURIComponent(u.userId)}`, textContent: u.displayName });

export function usersPage(main: HTMLElement): void {
  const input = h('input', { type: 'search', name: 'query', maxLength: 254 });
  const results = h('div', { data: { testid: 'results' } });
  const form = h(
    'form',
    { className: 'row' },
    field(t('searchLabel'), input),
    h('button', { type: 'submit', textContent: t('search') }),
  );
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    const q = input.value.trim();
    if (!q) return;
    void load(results, async () => {
      const page = await call<AdminUserPage>('GET', `/admin/v2/users${query({ query: q })}`);
      if (!page.items.length) return h('p', {}, t('noMatch'));
      return table(
        [t('name'), t('email'), t('handle'), t('status'), t('walletStatus'), t('balance')],
        page.items.map((u) => [
          userLink(u),
          u.email,
          u.handle ?? '—',
          u.status,
          u.wallet.status,
          yen(u.wallet.balance),
        ]),
        'user-results',
      );
    });
  });
  show(main, section(t('navUsers'), form, results));
  input.focus();
}

export function userPage(main: HTMLElement, userId: string): void {
  const profile = h('div');
  const history = h('div');
  show(main, profile, history);
  const path = `/admin/v2/users/${encodeURIComponent(userId)}`;
  /** The profile read (again): after an action or a reversal, which move the status, balance and limits left. */
  const reread = () =>
    load(profile, async () => profileCards(await call<AdminUserDetail>('GET', path), reread));
  void load(profile, async () => {
    const u = await call<AdminUserDetail>('GET', path);
    historyCard(history, u, reread);
    return profileCards(u, reread);
  });
}

function profileCards(u: AdminUserDetail, reread: () => Promise<void>): Child[] {
  const path = `/admin/v2/users/${encodeURIComponent(u.userId)}`;
  const done = outcomeLine();
  /** An action answers the user without limits or bank accounts; a KYC change moves the limits, so read again. */
  const act = (action: string, body: unknown) => async () => {
    try {
      await call<AdminUser>('POST', action, body);
      await reread();
      outcome(done, { ok: t('done') });
    } catch (error) {
      outcome(done, { error });
    }
  };
  const walletPath = `/admin/v2/wallets/${encodeURIComponent(u.userId)}`;
  const level = h(
    'select',
    { name: 'kyc' },
    ...['none', 'verified'].map((l) => h('option', { value: l, textContent: l, selected: l === u.kycLevel })),
  );
  const reason = h('input', { name: 'reason', maxLength: 500, data: { testid: 'reason' } });
  const needsReason = (run: () => Promise<void>) => async () => {
    if (!reason.value.trim()) return outcome(done, { invalid: t('reasonRequired') });
    await run();
  };
  const disable = button(t('disable'), () => {
    const sure = button(t('confirm'), act(`${path}/disable`, { reason: reason.value.trim() || undefined }));
    const cancel = button(t('cancel'), () => show(confirmRow));
    show(confirmRow, t('confirmDisable'), ' ', sure, cancel);
  });
  const confirmRow = h('div', { className: 'row' });

  return [
    section(
      u.displayName,
      facts(
        [
          [t('userId'), u.userId],
          [t('name'), u.displayName],
          [t('email'), u.email],
          [t('handle'), u.handle ?? '—'],
          [t('status'), u.status],
          [t('walletStatus'), u.wallet.status + (u.wallet.debitBlocked ? ` — ${t('debitBlocked')}` : '')],
          [t('kyc'), u.kycLevel],
          [t('balance'), yen(u.wallet.balance)],
          [t('created'), time(u.createdAt)],
        ],
        'profile',
      ),
    ),
    section(
      t('limitsLeft'),
      facts(
        [
          [t('perOperation'), yen(u.limits.perOperation)],
          [t('dailyLeft'), `${yen(u.limits.daily.remaining)} / ${yen(u.limits.daily.limit)}`],
          [t('monthlyLeft'), `${yen(u.limits.monthly.remaining)} / ${yen(u.limits.monthly.limit)}`],
          [t('maxBalance'), yen(u.limits.maxBalance)],
        ],
        'limits',
      ),
    ),
    section(
      t('bankAccounts'),
      u.bankAccounts.length
        ? table(
            [t('account'), t('name'), t('status')],
            // The API sends only the last four digits; the rest stays masked.
            u.bankAccounts.map((b) => [`${b.bankCode} ••••${b.last4}`, b.holderName, b.status]),
            'bank-accounts',
          )
        : h('p', { className: 'muted' }, t('noneYet')),
    ),
    section(
      t('status'),
      h(
        'div',
        { className: 'row' },
        field(t('setKyc'), level),
        button(t('setKyc'), () => act(`${path}/kyc`, { level: level.value })()),
      ),
      h('div', { className: 'row' }, field(t('reason'), reason)),
      h(
        'div',
        { className: 'row' },
        u.wallet.status === 'frozen'
          ? button(
              t('unfreeze'),
              needsReason(() => act(`${walletPath}/unfreeze`, { reason: reason.value.trim() })()),
              'unfreeze',
            )
          : button(
              t('freeze'),
              needsReason(() => act(`${walletPath}/freeze`, { reason: reason.value.trim() })()),
              'freeze',
            ),
        u.status === 'disabled' ? null : disable,
      ),
      confirmRow,
      done,
    ),
  ];
}

/**
 * The user's history, page by page (cursors kept to go back), each transfer reversible; after a
 * reversal the page shown is read again (its reversal entry appears) and `reversed` runs.
 */
function historyCard(el: HTMLElement, u: AdminUser, reversed: () => Promise<void>): void {
  const cursors: (string | undefined)[] = [undefined];
  let shown: string | undefined;
  const panel = h('div');
  const body = h('div');
  const afterReversal = () => Promise.all([open(shown), reversed()]).then(() => undefined);
  const open = (cursor: string | undefined) =>
    load(body, async () => {
      shown = cursor;
      const page = await call<TransactionPage>(
        'GET',
        `/admin/v2/users/${encodeURIComponent(u.userId)}/transactions${query({ limit: 20, cursor })}`,
      );
      const at = cursors.indexOf(cursor);
      const newer = button(t('newer'), () => open(cursors[at - 1]));
      newer.disabled = at <= 0;
      const older = button(t('older'), () => {
        if (!cursors.includes(page.nextCursor!)) cursors.push(page.nextCursor!);
        return open(page.nextCursor!);
      });
      older.disabled = !page.nextCursor;
      return [
        table(
          [t('when'), t('type'), t('amount'), t('balanceAfter'), t('counterparty'), t('memo'), ''],
          page.items.map((tx) => [
            time(tx.createdAt),
            `${tx.type}${tx.status === 'completed' ? '' : ` (${tx.status})`}`,
            yen(tx.amount),
            yen(tx.balanceAfter),
            tx.counterparty ? counterparty(tx.counterparty, tx.type.startsWith('transfer')) : '—',
            tx.memo ?? '',
            tx.type === 'transfer_out' || tx.type === 'transfer_in'
              ? button(t('reverse'), () => reversePanel(panel, u, tx, afterReversal), `reverse-${tx.id}`)
              : null,
          ]),
          'history',
        ),
        h('div', { className: 'row' }, newer, older),
      ];
    });
  show(el, section(t('history'), panel, body));
  void open(undefined);
}

/** Another user links to their page; a store (payments) is shown by name. */
const counterparty = (c: { id: string; name: string }, isUser: boolean) =>
  isUser
    ? h('a', { href: `#/users/${encodeURIComponent(c.id)}`, textContent: c.name || c.id, title: c.id })
    : h('span', { textContent: c.name || c.id, title: c.id });
