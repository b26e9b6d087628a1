import type { AdminMerchant as Merchant, AdminMerchantPage } from '@paychat/client';
import { call, query } from '../api';
import { field, h, show, table } from '../dom';
import { t, time, yen } from '../i18n';
import { button, load, outcome, outcomeLine, section } from '../ui';

export function merchantsPage(main: HTMLElement): void {
  const list = h('div', { data: { testid: 'merchants' } });
  const name = h('input', { name: 'merchant-name', maxLength: 100 });
  const done = outcomeLine();
  const refresh = () =>
    load(list, async () => {
      const page = await call<AdminMerchantPage>('GET', `/admin/v2/merchants${query({ limit: 100 })}`);
      return table(
        [t('merchantName'), 'id', t('account'), t('balance'), t('status'), t('created')],
        page.items.map((m) => [m.name, m.id, m.accountId, yen(m.balance), m.status, time(m.createdAt)]),
      );
    });
  const create = async () => {
    if (!name.value.trim()) return;
    try {
      const m = await call<Merchant>('POST', '/admin/v2/merchants', { name: name.value.trim() });
      outcome(done, { ok: t('merchantCreated', { name: m.name, id: m.id }) });
      name.value = '';
      await refresh();
    } catch (error) {
      outcome(done, { error });
    }
  };
  show(
    main,
    section(
      t('createMerchant'),
      h(
        'div',
        { className: 'row' },
        field(t('merchantName'), name),
        button(t('createMerchant'), create, 'create-merchant'),
      ),
      done,
    ),
    section(t('merchants'), list),
  );
  void refresh();
}
