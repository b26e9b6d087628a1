import { html, type SafeHtml } from './html';
import type { LegacyUserRow } from './admin-users.repository';

const yen = (n: number) => `¥${n.toLocaleString('en-US')}`;
const when = (d: Date) => d.toISOString().replace('T', ' ').slice(0, 19);

/**
 * The old admin's look, kept plain on purpose: HTML tables, no script and no style sheet (the CSP
 * allows neither), a banner pointing at the new console that replaces these screens one by one.
 */
function page(title: string, body: SafeHtml): string {
  return html`<!DOCTYPE html>
    <html lang="en">
      <head>
        <meta charset="utf-8" />
        <title>${title} - paychat admin (old)</title>
      </head>
      <body>
        <h1>paychat admin <small>(old)</small></h1>
        <p>
          <b>Being replaced:</b> these screens move to the new console at <a href="/admin">/admin</a>, one at
          a time.
        </p>
        <hr />
        ${body}
        <hr />
        <p><small>legacy admin /admin/v1</small></p>
      </body>
    </html> `.markup;
}

export function userListPage(users: LegacyUserRow[], nextAfter: number | null): string {
  const rows = users.map(
    (u) =>
      html`<tr>
        <td><a href="/admin/v1/users/${u.id}">${u.id}</a></td>
        <td>${u.email}</td>
        <td>${u.name}</td>
        <td align="right">${yen(u.balance)}</td>
        <td>${when(u.createdAt)}</td>
      </tr> `,
  );
  return page(
    'Users',
    html`<h2>Users</h2>
      <table border="1" cellpadding="4" cellspacing="0">
        <tr>
          <th>ID</th>
          <th>Email</th>
          <th>Name</th>
          <th>Balance</th>
          <th>Created (UTC)</th>
        </tr>
        ${
          rows.length
            ? rows
            : html`<tr>
                <td colspan="5">No users.</td>
              </tr>`
        }
      </table>
      ${nextAfter === null ? '' : html`<p><a href="/admin/v1/users?after=${nextAfter}">Next page &raquo;</a></p>`}`,
  );
}

export function userDetailPage(u: LegacyUserRow): string {
  return page(
    `User ${u.id}`,
    html`<h2>User ${u.id}</h2>
      <table border="1" cellpadding="4" cellspacing="0">
        <tr>
          <th align="left">Email</th>
          <td>${u.email}</td>
        </tr>
        <tr>
          <th align="left">Name</th>
          <td>${u.name}</td>
        </tr>
        <tr>
          <th align="left">Balance</th>
          <td>${yen(u.balance)}</td>
        </tr>
        <tr>
          <th align="left">Created (UTC)</th>
          <td>${when(u.createdAt)}</td>
        </tr>
      </table>
      <p><a href="/admin/v1/users">&laquo; All users</a></p>`,
  );
}
