import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser } from 'playwright-core';
import { createTestUser, loginTestUser } from '@paychat/testing';
import { BROWSER_STEP_MS, launchChromium } from './browser';
import { Stack } from './stack';

const OUTPUT = join(__dirname, '..', '.local', 'test-output');

/** Swagger UI at the gateway's /docs, in a real (headless) browser: Debian's chromium via playwright-core. */
describe('Swagger UI at /docs (headless Chromium)', () => {
  let stack: Stack;
  let browser: Browser;
  beforeAll(async () => {
    stack = await Stack.start();
    browser = await launchChromium();
  }, BROWSER_STEP_MS);
  afterAll(async () => {
    await browser?.close();
    await stack?.stop();
  }, BROWSER_STEP_MS);

  it(
    'lists every operation, authorizes with a real token and "try it out" on GET /v2/me answers 200',
    async () => {
      const { accessToken } = await loginTestUser(await createTestUser({ name: 'Docs Reader' }));
      const page = await browser.newPage({ viewport: { width: 1400, height: 1000 } });
      await page.goto(`${stack.url}/docs`);
      await page.waitForSelector('.opblock', { timeout: BROWSER_STEP_MS });
      const operations = await page.locator('.opblock').count();
      const documented = Object.values(
        ((await (await fetch(`${stack.url}/openapi.json`)).json()) as { paths: Record<string, object> })
          .paths,
      ).reduce((n, item) => n + Object.keys(item).length, 0);
      expect(operations).toBe(documented);

      await page.click('.btn.authorize');
      await page.fill('.auth-container input[type="text"]', accessToken);
      await page.click('.auth-btn-wrapper .btn.authorize');
      await page.click('.auth-btn-wrapper .btn-done');

      const me = page.locator('#operations-profile-getMe');
      await me.locator('.opblock-summary').click();
      await me.locator('.try-out__btn').click();
      await me.locator('.execute').click();
      const status = me.locator('.live-responses-table .response .response-col_status').first();
      await status.waitFor({ timeout: BROWSER_STEP_MS });
      expect((await status.innerText()).trim()).toBe('200');
      expect(await me.locator('.live-responses-table .microlight').first().innerText()).toContain('"userId"');

      await status.scrollIntoViewIfNeeded();
      mkdirSync(OUTPUT, { recursive: true });
      await page.screenshot({ path: join(OUTPUT, 'swagger-ui.png'), fullPage: false });
    },
    3 * BROWSER_STEP_MS,
  );
});
