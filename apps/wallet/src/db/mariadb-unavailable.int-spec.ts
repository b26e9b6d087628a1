import { randomUUID } from 'node:crypto';
import { Logger } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { TestWalletUser, WalletHarness } from '../../../../test/harness/wallet-harness';
import { expectRetryLater, FaultyLink, timed } from '@paychat/testing';

/** A wallet whose MariaDB sits behind a link the tests break, with a pool of two connections. */
describe('MariaDB unavailable: 503 with Retry-After, within seconds', () => {
  let link: FaultyLink;
  let w: WalletHarness;
  let a: TestWalletUser;
  let b: TestWalletUser;

  beforeAll(async () => {
    const url = new URL(process.env.WALLET_DB_URL!);
    link = await FaultyLink.to(Number(url.port || 3306));
    url.port = String(link.port);
    w = await WalletHarness.start({ WALLET_DB_URL: url.toString(), WALLET_DB_POOL_SIZE: '2' });
    [a, b] = [await w.user(100_000), await w.user()];
  });
  afterAll(async () => {
    await link.restore();
    await w.stop();
    await link.close();
  });
  afterEach(() => link.restore());

  const transfer = (key: string) => w.transfer(a, b, key);
  const transfersWith = (key: string) => w.transfersWithKey(a, key);

  it('refused connections: a read and a keyed transfer answer 503 at once, logged as a warning naming mariadb', async () => {
    const warn = jest.spyOn(Logger.prototype, 'warn');
    const error = jest.spyOn(Logger.prototype, 'error');
    try {
      await link.refuse();
      const [read, readMs] = await timed(w.call('GET', '/v2/wallet', { token: a.token }));
      expectRetryLater(read);
      expect(readMs).toBeLessThan(3_000);
      expectRetryLater(await transfer(randomUUID()));
      const logged = warn.mock.calls.filter(([fields]) => (fields as { dependency?: string }).dependency);
      expect(logged).toEqual([
        [
          expect.objectContaining({ dependency: 'mariadb', reason: expect.stringContaining('ECONNREFUSED') }),
          'dependency unavailable',
        ],
        [expect.objectContaining({ dependency: 'mariadb' }), 'dependency unavailable'],
      ]);
      expect(error).not.toHaveBeenCalled();
    } finally {
      warn.mockRestore();
      error.mockRestore();
    }
    await link.restore();
    expect((await w.call('GET', '/v2/wallet', { token: a.token })).status).toBe(200);
  });

  it('a server that never answers a new connection: 503 after the connect timeout', async () => {
    link.drop();
    link.hang();
    const [read, readMs] = await timed(w.call('GET', '/v2/wallet', { token: a.token }));
    expectRetryLater(read);
    // mysql2's own default would be 10 s.
    expect(readMs).toBeLessThan(8_000);
  });

  it('every pooled connection hung: the next request gets 503 after the acquire timeout; the keyed transfers on them complete once the link is back', async () => {
    // Both pooled connections open and idle, then hung under two transfers.
    const dataSource = w.app.get(DataSource);
    await Promise.all([dataSource.query('SELECT SLEEP(0.1)'), dataSource.query('SELECT SLEEP(0.1)')]);
    link.hang();
    const keys = [randomUUID(), randomUUID()];
    const stuck = keys.map((key) => transfer(key));
    const [read, readMs] = await timed(w.call('GET', '/v2/wallet', { token: a.token }));
    expectRetryLater(read);
    expect(readMs).toBeLessThan(10_000);

    // Their connections reset: each runs once more on a fresh one.
    await link.restore();
    for (const res of await Promise.all(stuck)) expect(res.status).toBe(201);
    for (const key of keys) expect(await transfersWith(key)).toBe(1);
  });
});
