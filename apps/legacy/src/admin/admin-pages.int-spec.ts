import type { ResultSetHeader } from 'mysql2/promise';
import request from 'supertest';
import { createTestUser, loginTestUser, mintAccessToken } from '@paychat/testing';
import { LegacyTestbed } from '../../../../test/harness/legacy-fixtures';
import { OLD_ADMIN_HEADERS } from './page-headers';

const XSS_NAME = '<script>alert("x")</script>';

describe('legacy /admin/v1: the old admin pages', () => {
  let bed: LegacyTestbed;
  let admin: string;
  let member: string;
  let hostileId: number;

  beforeAll(async () => {
    bed = await LegacyTestbed.start(process.env);
    const [a, m] = await Promise.all([createTestUser({ groups: ['admin'] }), createTestUser()]);
    [admin, member] = (await Promise.all([loginTestUser(a), loginTestUser(m)])).map((t) => t.accessToken);
    // A legacy user whose display name and email are markup: what the pages must show as text.
    const [row] = await bed.db.query<ResultSetHeader>(
      'INSERT INTO users (email, password_hash, name) VALUES (?, ?, ?)',
      [`"><img src=x onerror=alert(1)>-${Date.now()}@legacy.test`, 'x', XSS_NAME],
    );
    hostileId = row.insertId;
    await bed.db.query('INSERT INTO balances (user_id, amount) VALUES (?, ?)', [hostileId, 1234]);
  });

  afterAll(async () => {
    if (hostileId) {
      await bed.db.query('DELETE FROM balances WHERE user_id = ?', [hostileId]);
      await bed.db.query('DELETE FROM users WHERE id = ?', [hostileId]);
    }
    await bed?.close();
  });

  const get = (path: string, token?: string) => {
    const req = request(bed.server).get(path);
    return token ? req.set('authorization', `Bearer ${token}`) : req;
  };

  it('shows an admin the user list as HTML, the seeded legacy users among them', async () => {
    const res = await get('/admin/v1/users', admin).expect(200);
    expect(res.headers['content-type']).toBe('text/html; charset=utf-8');
    expect(res.text).toMatch(/^<!DOCTYPE html>/);
    expect(res.text).toContain('taro@legacy.paychat.local');
    expect(res.text).toContain('<a href="/admin">');
  });

  it('encodes every value: a <script> name and a markup email render as text', async () => {
    const list = await get(`/admin/v1/users?after=${hostileId - 1}`, admin).expect(200);
    const detail = await get(`/admin/v1/users/${hostileId}`, admin).expect(200);
    for (const page of [list.text, detail.text]) {
      expect(page).toContain('&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;');
      expect(page).toContain('&quot;&gt;&lt;img src=x onerror=alert(1)&gt;');
      expect(page).not.toContain('<script');
      expect(page).not.toContain('<img');
    }
    expect(detail.text).toContain('¥1,234');
  });

  it('pages the list with a next link carrying the last id shown', async () => {
    const first = await get('/admin/v1/users', admin).expect(200);
    const ids = [...first.text.matchAll(/href="\/admin\/v1\/users\/(\d+)"/g)].map((m) => Number(m[1]));
    expect(ids.length).toBeGreaterThan(0);
    expect(ids).toEqual([...ids].sort((x, y) => x - y));
    const next = /href="\/admin\/v1\/users\?after=(\d+)"/.exec(first.text);
    if (next) expect(Number(next[1])).toBe(ids[ids.length - 1]);
    else expect(ids.length).toBeLessThanOrEqual(50);
  });

  it('refuses anonymous callers with 401 and a Bearer challenge, never a page', async () => {
    const res = await get('/admin/v1/users').expect(401);
    expect(res.headers['content-type']).toContain('application/problem+json');
    expect(res.headers['www-authenticate']).toBe('Bearer');
    expect(res.body.code).toBe('unauthorized');
  });

  it('refuses a signed-in user outside the admin group with 403', async () => {
    const res = await get('/admin/v1/users', member).expect(403);
    expect(res.body.code).toBe('forbidden');
    expect(res.text).not.toContain('taro@legacy.paychat.local');
  });

  it('refuses a forged admin token and a legacy session', async () => {
    const forged = await mintAccessToken({ foreignKey: true, claims: { 'cognito:groups': ['admin'] } });
    expect((await get('/admin/v1/users', forged).expect(401)).body.code).toBe('unauthorized');
    const user = await bed.createUser(0);
    const session = await bed.sessionFor(user.id);
    const res = await request(bed.server)
      .get('/admin/v1/users')
      .set('authorization', `Session ${session}`)
      .expect(401);
    expect(res.body.code).toBe('unauthorized');
  });

  it('sends the strict headers on pages and refusals alike', async () => {
    for (const res of [
      await get('/admin/v1/users', admin).expect(200),
      await get('/admin/v1/users').expect(401),
    ]) {
      for (const [name, value] of Object.entries(OLD_ADMIN_HEADERS)) expect(res.headers[name]).toBe(value);
    }
    const csp = OLD_ADMIN_HEADERS['content-security-policy'];
    expect(csp).toContain("default-src 'none'");
    expect(csp).toContain("frame-ancestors 'none'");
    expect(csp).not.toMatch(/script-src|unsafe-inline/);
  });

  it('answers an unknown user with 404 and a malformed id or query with 400', async () => {
    expect((await get('/admin/v1/users/2147483647', admin).expect(404)).body.code).toBe('not_found');
    expect((await get('/admin/v1/users/abc', admin).expect(400)).body.code).toBe('validation_failed');
    expect((await get('/admin/v1/users?after=-1', admin).expect(400)).body.code).toBe('validation_failed');
    expect((await get('/admin/v1/users?sort=name', admin).expect(400)).body.code).toBe('validation_failed');
  });
});
