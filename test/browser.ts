import { existsSync } from 'node:fs';
import { type Browser, chromium } from 'playwright-core';

const CHROMIUM = '/usr/bin/chromium';
/** A browser shares the machine's cores with the other test workers: its steps get room, not a race. */
export const BROWSER_STEP_MS = 60_000;

/**
 * Debian's headless Chromium for the browser tests. Without network access (CI has none but the
 * npm registry), Chromium's own background traffic (component updates, sync, QUIC probes) waits
 * on connections that never answer and can hold `close()` past a hook's timeout: it is all off.
 */
export function launchChromium(): Promise<Browser> {
  if (!existsSync(CHROMIUM))
    throw new Error(`${CHROMIUM} is missing: apt-get install -y chromium (.ci/run does)`);
  return chromium.launch({
    executablePath: CHROMIUM,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--disable-dev-shm-usage',
    ],
  });
}
