import './console.css';
import { groups, signedIn, signIn, signOut, whenExpired } from './api';
import { field, h, show } from './dom';
import { lang, t, type Key } from './i18n';
import { auditPage } from './pages/audit';
import { chartsPage } from './pages/charts';
import { ledgerPage } from './pages/ledger';
import { merchantsPage } from './pages/merchants';
import { pipelinePage } from './pages/pipeline';
import { userPage, usersPage } from './pages/users';
import { button } from './ui';

/** The pages by their hash route (`#/users/<id>` passes the id). */
const PAGES: [Key, string, (main: HTMLElement, arg?: string) => void][] = [
  ['navUsers', 'users', (main, id) => (id ? userPage(main, id) : usersPage(main))],
  ['navMerchants', 'merchants', merchantsPage],
  ['navAudit', 'audit', auditPage],
  ['navLedger', 'ledger', ledgerPage],
  ['navPipeline', 'pipeline', pipelinePage],
  ['navCharts', 'charts', chartsPage],
];

/**
 * The Cognito group the pool gives operators (COGNITO_ADMIN_GROUP's default; the CDK app creates
 * it). Only the page's first answer: the admin API decides, and refuses any other token with 403.
 */
const ADMIN_GROUP = 'admin';
const root = document.getElementById('app')!;
document.documentElement.lang = lang;
document.title = t('title');

function signInPage(notice?: string): void {
  const email = h('input', { type: 'email', name: 'email', autocomplete: 'username', required: true });
  const password = h('input', {
    type: 'password',
    name: 'password',
    autocomplete: 'current-password',
    required: true,
  });
  const message = h('p', { className: 'outcome error', data: { testid: 'sign-in-message' } }, notice ?? '');
  const form = h(
    'form',
    { className: 'card sign-in' },
    h('h1', {}, t('title')),
    message,
    field(t('email'), email),
    field(t('password'), password),
    h('button', { type: 'submit', textContent: t('signIn') }),
  );
  // Handled here, never submitted: CSP's form-action 'none' would refuse it anyway.
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    try {
      await signIn(email.value.trim(), password.value);
      route();
    } catch {
      show(message, t('signInFailed'));
    }
  });
  show(root, form);
  email.focus();
}

/** Signs out (the refresh token is revoked) and shows sign-in, once: clearing the hash routes there. */
const signOutButton = () =>
  button(t('signOut'), async () => {
    await signOut();
    if (location.hash) location.hash = '';
    else signInPage();
  });

function shell(): HTMLElement {
  const main = h('main', { id: 'main' });
  const nav = h(
    'nav',
    {},
    ...PAGES.map(([label, path]) => h('a', { href: `#/${path}`, textContent: t(label) })),
    signOutButton(),
  );
  show(root, h('header', {}, h('strong', {}, t('title')), nav), main);
  return main;
}

/** Shows the page the hash names (users by default); sign-in first, refusal for non-admins. */
function route(): void {
  if (!signedIn()) return signInPage();
  if (!groups().includes(ADMIN_GROUP))
    return show(
      root,
      h(
        'section',
        { className: 'card refusal', data: { testid: 'refusal' } },
        h('h1', {}, t('notAdminTitle')),
        h('p', {}, t('notAdmin')),
        signOutButton(),
      ),
    );
  const [, name = 'users', arg] = location.hash.replace(/^#/, '').split('/');
  const page = PAGES.find(([, path]) => path === name) ?? PAGES[0];
  const main = document.getElementById('main') ?? shell();
  for (const a of document.querySelectorAll('nav a'))
    a.classList.toggle('active', a.getAttribute('href') === `#/${page[1]}`);
  show(main);
  page[2](main, arg ? decodeURIComponent(arg) : undefined);
}

whenExpired(() => signInPage(t('sessionExpired')));
window.addEventListener('hashchange', route);
route();
