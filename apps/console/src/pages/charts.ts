import type { ActivityStats as Activity } from '@paychat/client';
import { call, query } from '../api';
import { field, h, show } from '../dom';
import { lang, t, time } from '../i18n';
import { barChart, lineChart } from '../svg';
import { button, load, section } from '../ui';

const hhmm = (iso: string) =>
  new Date(iso).toLocaleTimeString(lang === 'ja' ? 'ja-JP' : 'en-GB', {
    timeZone: 'Asia/Tokyo',
    hour: '2-digit',
    minute: '2-digit',
  });

/** The wallet's last hours per minute: transfers, yen moved, delivery lag; failures by code. */
export function chartsPage(main: HTMLElement): void {
  const hours = h(
    'select',
    { name: 'hours' },
    ...[1, 6, 12, 24].map((n) =>
      h('option', { value: String(n), textContent: String(n), selected: n === 6 }),
    ),
  );
  const charts = h('div', { data: { testid: 'charts' } });
  const refresh = () =>
    load(charts, async () => {
      const a = await call<Activity>('GET', `/admin/v2/stats/activity${query({ hours: hours.value })}`);
      const m = a.minutes;
      if (!m.length) return h('p', {}, t('noData'));
      const [first, last] = [hhmm(m[0].at), hhmm(m[m.length - 1].at)];
      return [
        section(
          t('transfersPerMinute'),
          lineChart(
            t('transfersPerMinute'),
            m.map((x) => x.transfers),
            first,
            last,
          ),
        ),
        section(
          t('yenPerMinute'),
          lineChart(
            t('yenPerMinute'),
            m.map((x) => x.yen),
            first,
            last,
          ),
        ),
        section(
          t('deliveryLag'),
          lineChart(
            t('deliveryLag'),
            m.map((x) => x.deliveryLagAvgMs),
            first,
            last,
          ),
        ),
        section(
          t('failuresByCode'),
          a.failures.length
            ? barChart(
                t('failuresByCode'),
                a.failures.map((f) => ({ label: f.code, value: f.count })),
              )
            : h('p', { className: 'muted' }, t('noData')),
        ),
        h('p', { className: 'muted' }, `${time(m[0].at)} – ${time(m[m.length - 1].at)}`),
      ];
    });
  hours.addEventListener('change', () => void refresh());
  show(
    main,
    section(
      t('navCharts'),
      h('div', { className: 'row' }, field(t('hours'), hours), button(t('refresh'), refresh)),
    ),
    charts,
  );
  void refresh();
}
