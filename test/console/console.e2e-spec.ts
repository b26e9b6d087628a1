import { execFileSync } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { get } from 'node:http';
import { join } from 'node:path';
import { randomUUID } from 'node:crypto';
import { ulid } from 'ulid';
import type { Browser, Page } from 'playwright-core';
import { createTestUser, type TestUser } from '@paychat/testing';
import { Reconciler } from '../../apps/wallet/src/reconciliation/reconciler';
import { BROWSER_STEP_MS as STEP_MS, launchChromium } from '../browser';
import { Stack, type StackUser } from '../stack';

const ROOT = join(__dirname, '..', '..');
const OUTPUT = join(ROOT, '.local', 'test-output');

/**
 * The operators' console at /admin in headless Chromium, on the whole stack: every page talks to
 * the real admin API through the gateway. The bundle is built first (as `npm run build` does).
 */
describe('operators’ console at /admin (headless Chromium)', () => {
  let stack: Stack;
  let browser: Browser;
  let admin: TestUser;
  beforeAll(async () => {
    execFileSync(process.execPath, [join(ROOT, 'apps', 'console', 'bundle.mjs')]);
    stack = await Stack.start();
    admin = await createTestUser({ groups: ['admin'], name: 'Operator' });
    browser = await launchChromium();
  }, STEP_MS);
  afterAll(async () => {
    await browser?.close();
    await stack?.stop();
  }, STEP_MS);

  /** A fresh page in English, every console error and CSP violation collected. */
  async function open(): Promise<{ page: Page; problems: string[] }> {
    const page = await browser.newPage({ viewport: { width: 1280, height: 900 }, locale: 'en-US' });
    page.setDefaultTimeout(STEP_MS);
    const problems: string[] = [];
    page.on('pageerror', (e) => problems.push(e.message));
    page.on('console', (m) => m.type() === 'error' && problems.push(m.text()));
    await page.goto(`${stack.url}/admin`);
    return { page, problems };
  }

  /**
   * Waits until `selector`'s text (innerText, or textContent) matches `text` (a pattern, or a string
   * it must contain). Read through locators: the page's CSP refuses the string evaluation a
   * waitForFunction expression needs, and this test's TypeScript has no DOM types for a function.
   */
  const shows = async (
    page: Page,
    text: RegExp | string,
    selector = 'body',
    prop: 'innerText' | 'textContent' = 'innerText',
  ) => {
    const element = page.locator(selector);
    for (const end = Date.now() + STEP_MS; ; await new Promise((r) => setTimeout(r, 50))) {
      const seen = prop === 'innerText' ? await element.innerText() : ((await element.textContent()) ?? '');
      if (typeof text === 'string' ? seen.includes(text) : text.test(seen)) return;
      if (Date.now() > end) throw new Error(`${selector} never showed ${String(text)}: ${seen}`);
    }
  };

  async function signIn(page: Page, who: Pick<TestUser, 'email' | 'password'>): Promise<void> {
    await page.fill('input[name=email]', who.email);
    await page.fill('input[name=password]', who.password);
    await page.click('button[type=submit]');
  }

  /** The status of a GET sent with exactly this path (fetch would normalize the dots away). */
  const rawStatus = (path: string) =>
    new Promise<number | undefined>((resolve, reject) =>
      get(`${stack.url}${path}`, { path }, (res) => {
        res.resume();
        resolve(res.statusCode);
      }).on('error', reject),
    );

  const shot = async (page: Page, name: string) => {
    mkdirSync(OUTPUT, { recursive: true });
    await page.screenshot({ path: join(OUTPUT, `console-${name}.png`), fullPage: true });
  };

  const transfer = async (from: StackUser, to: StackUser, amount: number) => {
    const sent = await stack.call('POST', '/v2/wallet/transfers', {
      token: from.token,
      key: randomUUID(),
      body: { toUserId: to.userId, amount },
    });
    expect(sent.status).toBe(201);
    return String(sent.body.id);
  };

  it('serves the page and its two files with a strict policy, no caching, and nothing else', async () => {
    for (const path of ['/admin', '/admin/', '/admin/assets/console.js', '/admin/assets/console.css']) {
      const res = await fetch(`${stack.url}${path}`);
      expect([path, res.status]).toEqual([path, 200]);
      expect(res.headers.get('content-security-policy')).toBe(
        "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'",
      );
      expect(res.headers.get('cache-control')).toBe('no-store');
      expect(res.headers.get('x-content-type-options')).toBe('nosniff');
      expect(res.headers.get('referrer-policy')).toBe('no-referrer');
      expect(res.headers.get('x-frame-options')).toBe('DENY');
    }
    expect((await fetch(`${stack.url}/admin`)).headers.get('content-type')).toMatch(/^text\/html/);
    const html = await (await fetch(`${stack.url}/admin`)).text();
    expect(html).not.toMatch(/<script>|<style>|\sstyle=|\son[a-z]+=/i); // nothing inline the CSP would have to allow
    // Only the bundle's own files: no other name, no path out of it.
    expect((await fetch(`${stack.url}/admin/assets/index.html`)).status).toBe(404);
    expect((await fetch(`${stack.url}/admin/assets/nope.js`)).status).toBe(404);
    expect((await fetch(`${stack.url}/admin/assets/..%2f..%2fpackage.json`)).status).toBe(400);
    expect(await rawStatus('/admin/assets/../../package.json')).toBe(400);
    expect(await rawStatus('/admin/assets/%2e%2e/%2e%2e/package.json')).toBe(400);
    // The admin API behind it still needs an admin token.
    expect((await fetch(`${stack.url}/admin/v2/audit-log`)).status).toBe(401);

    const { page } = await open();
    await page.waitForSelector('form.sign-in');
    await shot(page, 'sign-in');
  });

  it(
    'an admin finds a user, freezes and unfreezes, reverses a transfer once ("already reversed" the second time), reads the audit entries and the ledger health',
    async () => {
      const alice = await stack.signUp('Alice Console');
      const bob = await stack.signUp('Bob Console');
      expect((await stack.charge(alice, 5_000)).status).toBe(201);
      const transferId = await transfer(alice, bob, 1_200);
      const reconciler = stack.wallet.app.get(Reconciler);
      await reconciler.run('full');
      await reconciler.run('incremental');

      const { page, problems } = await open();
      await signIn(page, admin);
      await page.fill('input[name=query]', bob.email);
      await page.click('form.row button[type=submit]');
      await page.click('[data-testid=user-results] a');
      const profile = page.locator('[data-testid=profile]');
      await expect(profile.innerText()).resolves.toContain(bob.userId);
      await expect(profile.innerText()).resolves.toContain('¥1,200');
      // The limits left are Bob's own (his /v2/wallet); his bank account shows masked, never in full.
      const own = (await stack.call('GET', '/v2/wallet', { token: bob.token })).body.limits as {
        daily: { remaining: number; limit: number };
      };
      const yen = (n: number) => `¥${n.toLocaleString('en-US')}`;
      expect(await page.locator('[data-testid=limits]').innerText()).toContain(
        `${yen(own.daily.remaining)} / ${yen(own.daily.limit)}`,
      );
      expect(await page.locator('[data-testid=bank-accounts] tbody').innerText()).toMatch(
        /^0001 ••••4567\s+BOB CONSOLE\s+verified$/,
      );
      expect(await page.locator('body').innerText()).not.toContain('1234567');

      await page.fill('[data-testid=reason]', 'console check');
      await page.click('[data-testid=freeze]');
      await page.waitForSelector('[data-testid=unfreeze]');
      expect(await profile.innerText()).toMatch(/Wallet\s+frozen/);
      await page.fill('[data-testid=reason]', 'console check done');
      await page.click('[data-testid=unfreeze]');
      await page.waitForSelector('[data-testid=freeze]');
      expect(await page.locator('[data-testid=profile]').innerText()).toMatch(/Wallet\s+active/);

      // The history names the counterparty; the transfer is reversed from there.
      const history = page.locator('[data-testid=history]');
      await expect(history.innerText()).resolves.toContain('Alice Console');
      await page.click(`[data-testid="reverse-${transferId}"]`);
      await page.fill('[data-testid=reversal-reason]', 'disputed');
      await page.click('[data-testid=review-reversal]');
      expect(await page.locator('[data-testid=reversal-confirm]').innerText()).toBe(
        'Return ¥1,200 from Bob Console to Alice Console?',
      );
      await page.click('[data-testid=do-reverse]');
      const result = page.locator('.card:has([data-testid=reversal-reason]) [data-testid=outcome]');
      await shows(page, /Reversed/);
      expect(await result.innerText()).toMatch(/^Reversed: ¥1,200 returned/);
      // Bob's balance on the page is read again: the ¥1,200 went back to Alice.
      await shows(page, /Balance\s+¥0\b/, '[data-testid=profile]');
      await shot(page, 'reversal');
      await page.click('[data-testid=do-reverse]');
      await shows(page, /Already reversed/);
      expect(await result.innerText()).toBe('Already reversed: this transfer was reversed before.');

      // The audit log shows what those actions wrote, each with its request id; the filter is the server's.
      await page.goto(`${stack.url}/admin#/audit/${bob.userId}`); // the same document: still signed in
      const audit = page.locator('[data-testid=audit] tbody');
      await shows(page, /wallet\.unfreeze/);
      const rows = await audit.locator('tr').allInnerTexts();
      expect(rows.every((r) => r.includes(bob.userId))).toBe(true);
      expect(rows.some((r) => r.includes('wallet.freeze') && r.includes('console check'))).toBe(true);
      expect(rows.some((r) => r.includes('wallet.unfreeze'))).toBe(true);
      expect(await audit.locator('code').first().innerText()).toMatch(/^[A-Za-z0-9-]{1,64}$/);
      await page.fill('input[name=targetId]', transferId);
      await page.click('form.row button[type=submit]');
      await shows(page, /transfer\.reverse/);
      expect(await audit.locator('tr').allInnerTexts()).toEqual([
        expect.stringMatching(/transfer\.reverse.*disputed/s),
      ]);

      // Ledger health: the latest (incremental) pass beside the last full one.
      await page.click('nav a[href="#/ledger"]');
      const full = page.locator('[data-testid=full-pass]');
      await full.waitFor();
      expect(await page.locator('[data-testid=latest-pass]').innerText()).toMatch(/Kind\s+incremental/);
      expect(await full.innerText()).toMatch(
        /Kind\s+full[\s\S]*Accounts checked\s+\d+ \/ \d+[\s\S]*Balanced/,
      );
      await shot(page, 'ledger');
      // The browser logs every 4xx answer (the 409 above); anything else would be the console failing.
      expect(problems.filter((p) => !/Failed to load resource/.test(p))).toEqual([]);
    },
    4 * STEP_MS,
  );

  it('speaks Japanese to a Japanese browser, and sends an operator whose session ended back to sign-in', async () => {
    const page = await browser.newPage({ viewport: { width: 1280, height: 900 }, locale: 'ja-JP' });
    page.setDefaultTimeout(STEP_MS);
    await page.goto(`${stack.url}/admin`);
    await signIn(page, admin);
    await page.locator('nav', { hasText: 'ユーザー' }).waitFor();
    // An access token lives an hour: from here on, the gateway's answer to an expired one.
    await page.route('**/admin/v2/**', (route) =>
      route.fulfill({
        status: 401,
        contentType: 'application/problem+json',
        body: JSON.stringify({
          type: 'urn:paychat:problem:unauthorized',
          title: 'Unauthorized',
          status: 401,
          code: 'unauthorized',
          requestId: 'expired',
        }),
      }),
    );
    await page.evaluate("location.hash = '#/merchants'");
    await page.getByText('セッションの有効期限が切れました').waitFor();
    expect(await page.locator('input[name=password]').count()).toBe(1);
    expect(await page.locator('nav').count()).toBe(0);
    await shot(page, 'session-expired-ja');
  });

  it(
    'shows an event the chat refused, retries and dismisses it (both audited), and charts the activity',
    async () => {
      // An event whose payload the chat cannot apply: the real messages service rejects it.
      const eventId = ulid();
      await stack.wallet.db.query(
        `INSERT INTO outbox (event_id, topic, aggregate_id, ordering_key, version, payload, request_id, created_at, available_at)
         VALUES (?, 'transfer.created', ?, ?, 1, '{}', 'console-bad-event', CURRENT_TIMESTAMP(3), CURRENT_TIMESTAMP(3))`,
        [eventId, eventId, `console-${eventId}`],
      );
      const rejectedAt = async () => {
        const [[row]] = (await stack.wallet.db.query('SELECT rejected_at FROM outbox WHERE event_id = ?', [
          eventId,
        ])) as unknown as [[{ rejected_at: Date | null }]];
        return row.rejected_at;
      };
      for (const end = Date.now() + STEP_MS; !(await rejectedAt());) {
        if (Date.now() > end) throw new Error('the relay never delivered the bad event');
        await new Promise((r) => setTimeout(r, 100));
      }
      // Activity to chart: two transfers and one refused for want of funds.
      const [carol, dave] = [await stack.signUp('Carol Charts'), await stack.signUp('Dave Charts')];
      expect((await stack.charge(carol, 2_000)).status).toBe(201);
      await transfer(carol, dave, 700);
      await transfer(carol, dave, 300);
      const refused = await stack.call('POST', '/v2/wallet/transfers', {
        token: carol.token,
        key: randomUUID(),
        body: { toUserId: dave.userId, amount: 5_000 },
      });
      expect(refused.body.code).toBe('insufficient_funds');

      const { page, problems } = await open();
      await signIn(page, admin);
      await page.click('nav a[href="#/pipeline"]');
      const row = page.locator('[data-testid=rejected] tr', { hasText: eventId });
      expect(await row.innerText()).toMatch(/transfer\.created[\s\S]*rejected: [\s\S]*console-bad-event/);
      await page.click(`[data-testid="retry-${eventId}"]`);
      await page.getByText('A reason is required').waitFor();
      await page.fill('input[name=reason]', 'consumer fixed');
      await page.click(`[data-testid="retry-${eventId}"]`);
      await page.getByText('Done').waitFor();
      await shot(page, 'pipeline'); // retried: listed until the chat applies it, or dismissed
      await page.fill('input[name=reason]', 'payload cannot be mended');
      await page.click(`[data-testid="dismiss-${eventId}"]`);
      await row.waitFor({ state: 'detached' });

      await page.goto(`${stack.url}/admin#/audit/${eventId}`);
      await shows(page, /outbox\.dismiss/);
      expect(await page.locator('[data-testid=audit] tbody tr').allInnerTexts()).toEqual([
        expect.stringMatching(/outbox\.dismiss[\s\S]*payload cannot be mended/),
        expect.stringMatching(/outbox\.retry[\s\S]*consumer fixed/),
      ]);

      await page.click('nav a[href="#/charts"]');
      const moved = page.locator('[data-testid=charts] svg[aria-label="Transfers per minute"]');
      await moved.waitFor();
      // Its scale's top is the busiest minute: at least the two transfers above.
      expect(Number(await moved.locator('text').first().textContent())).toBeGreaterThanOrEqual(2);
      expect(await moved.locator('polyline').count()).toBeGreaterThan(0);
      // The delivery lag has data only in minutes with deliveries: a lone minute still shows (a dot).
      const lag = page.locator('[data-testid=charts] svg[aria-label^="Delivery lag"]');
      expect(await lag.locator('polyline, circle').count()).toBeGreaterThan(0);
      const failures = page.locator('[data-testid=charts] svg[aria-label="Failures by code"]');
      expect(await failures.textContent()).toContain('insufficient_funds');
      await shot(page, 'charts');
      expect(problems.filter((p) => !/Failed to load resource/.test(p))).toEqual([]);
    },
    4 * STEP_MS,
  );

  it('a signed-in user without the admin group sees a refusal, not the console', async () => {
    const user = await createTestUser({ name: 'Not An Operator' });
    const { page } = await open();
    await signIn(page, user);
    const refusal = page.locator('[data-testid=refusal]');
    await refusal.waitFor();
    expect(await refusal.innerText()).toContain('not in the admin group');
    expect(await page.locator('nav').count()).toBe(0);
    await shot(page, 'refusal');
  });

  it('shows hostile names as text and runs none of them', async () => {
    // Display names are at most 50 characters: the two halves of the attack, one per user; the
    // merchant (100) takes it whole.
    const whole = `<script>window.__xss=1</script><img src=x onerror="window.__xss=2">`;
    const img = await stack.signUp('<img src=x onerror="window.__xss=2">');
    const script = await stack.signUp('<script>window.__xss=1</script>');
    expect((await stack.charge(script, 1_000)).status).toBe(201);
    await transfer(script, img, 100);

    const { page, problems } = await open();
    await signIn(page, admin);
    await page.goto(`${stack.url}/admin#/users/${img.userId}`);
    await page.waitForSelector('[data-testid=history] tbody tr');
    expect(await page.locator('[data-testid=profile]').innerText()).toContain(
      '<img src=x onerror="window.__xss=2">',
    );
    expect(await page.locator('[data-testid=history]').innerText()).toContain(
      '<script>window.__xss=1</script>',
    );

    await page.click('nav a[href="#/merchants"]');
    await page.fill('input[name=merchant-name]', whole);
    await page.click('[data-testid=create-merchant]');
    await shows(page, `Created merchant ${whole}`);
    await shows(page, whole, '[data-testid=merchants]', 'textContent');

    expect(await page.evaluate('window.__xss')).toBeUndefined();
    expect(await page.locator('main img, main script').count()).toBe(0);
    expect(problems.filter((p) => !/Failed to load resource/.test(p))).toEqual([]);
    await shot(page, 'xss');
  });
});
