import { ApiError } from './api';
import { type Child, h, show } from './dom';
import { t } from './i18n';

/**
 * A line saying how an action went: done, refused before asking (`invalid`: the form is not
 * complete), or failed — errors name their code and request id (for the audit log).
 */
export function outcome(
  el: HTMLElement,
  result: { ok: string } | { invalid: string } | { error: unknown },
): void {
  if (!('error' in result)) {
    el.className = 'ok' in result ? 'outcome ok' : 'outcome error';
    show(el, 'ok' in result ? result.ok : result.invalid);
    return;
  }
  const e = result.error;
  el.className = 'outcome error';
  if (e instanceof ApiError)
    show(
      el,
      t('failed', { code: e.code }),
      ' — ',
      e.message,
      e.requestId ? h('span', { className: 'muted' }, ` (${t('requestId')}: ${e.requestId})`) : null,
    );
  else show(el, t('failed', { code: 'client_error' }), ' — ', String(e));
}

export const outcomeLine = (): HTMLParagraphElement =>
  h('p', { className: 'outcome', data: { testid: 'outcome' } });

/** Runs a page's loader and shows its result, or its failure, in `el`. */
export async function load(el: HTMLElement, loader: () => Promise<Child | Child[]>): Promise<void> {
  try {
    const out = await loader();
    show(el, ...(Array.isArray(out) ? out : [out]));
  } catch (error) {
    const line = outcomeLine();
    outcome(line, { error });
    show(el, line);
  }
}

/** A card: a heading and its content. */
export const section = (title: string, ...children: Child[]): HTMLElement =>
  h('section', { className: 'card' }, h('h2', {}, title), ...children);

/** A definition list of label → value pairs. */
export const facts = (pairs: [string, Child][], testid?: string): HTMLDListElement =>
  h(
    'dl',
    testid ? { className: 'facts', data: { testid } } : { className: 'facts' },
    ...pairs.flatMap(([k, v]) => [h('dt', {}, k), h('dd', {}, v)]),
  );

/** A button that is disabled while its action runs (no double submits). */
export function button(label: string, act: () => Promise<void> | void, testid?: string): HTMLButtonElement {
  const b = h('button', { type: 'button', textContent: label, ...(testid ? { data: { testid } } : {}) });
  b.addEventListener('click', async () => {
    b.disabled = true;
    try {
      await act();
    } finally {
      b.disabled = false;
    }
  });
  return b;
}
