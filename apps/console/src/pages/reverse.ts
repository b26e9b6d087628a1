import type { AdminUser, Reversal, Transaction } from '@paychat/client';
import { ApiError, call, newIdempotencyKey } from '../api';
import { field, h, show } from '../dom';
import { t, yen } from '../i18n';
import { button, facts, outcome, outcomeLine, section } from '../ui';

/**
 * Reversing one transfer from a user's history: a reason, then a confirmation naming the amount and
 * both parties, then the call with a new Idempotency-Key for each attempt (a retry after a failure
 * is a new decision, and a second reversal is refused as already_reversed by the server).
 */
export function reversePanel(
  el: HTMLElement,
  user: AdminUser,
  tx: Transaction,
  reversed: () => Promise<void>,
): void {
  const other = tx.counterparty?.name || tx.counterparty?.id || '?';
  const [from, to] = tx.type === 'transfer_out' ? [user.displayName, other] : [other, user.displayName];
  const amount = yen(Math.abs(tx.amount));
  const reason = h('input', { name: 'reversal-reason', maxLength: 500, data: { testid: 'reversal-reason' } });
  const result = outcomeLine();
  const step = h('div');

  const review = () => {
    if (!reason.value.trim()) return outcome(result, { invalid: t('reasonRequired') });
    show(
      step,
      h('p', { data: { testid: 'reversal-confirm' } }, t('reversalConfirm', { amount, from, to })),
      facts([
        [t('amount'), amount],
        [t('from'), from],
        [t('to'), to],
        [t('reason'), reason.value.trim()],
      ]),
      h(
        'div',
        { className: 'row' },
        button(t('doReverse'), reverse, 'do-reverse'),
        button(t('cancel'), () => show(el)),
      ),
    );
  };
  const reverse = async () => {
    try {
      const r = await call<Reversal>(
        'POST',
        `/admin/v2/transfers/${encodeURIComponent(tx.id)}/reversals`,
        { reason: reason.value.trim() },
        { 'idempotency-key': newIdempotencyKey() },
      );
      outcome(result, { ok: t('reversed', { amount: yen(r.amount), id: r.id }) });
      await reversed();
    } catch (error) {
      if (error instanceof ApiError && error.code === 'already_reversed')
        outcome(result, { ok: t('alreadyReversed') });
      else outcome(result, { error });
    }
  };

  show(
    el,
    section(
      t('reverseTitle', { id: tx.id }),
      h(
        'div',
        { className: 'row' },
        field(t('reason'), reason),
        button(t('reviewReversal'), review, 'review-reversal'),
      ),
      step,
      result,
    ),
  );
  reason.focus();
}
