import { createConnection } from 'mysql2/promise';

export const DEFAULT_MYSQL_URL = 'mysql://root@127.0.0.1:3306';

/** Throws a plain-language Error (what is missing, how to start it) if MySQL/MariaDB does not answer at `url`. */
export async function assertMysqlReachable(url: string = DEFAULT_MYSQL_URL): Promise<void> {
  try {
    const conn = await createConnection({ uri: url, connectTimeout: 3000 });
    await conn.end();
  } catch (err) {
    const { hostname, port } = new URL(url);
    const where = `${hostname}:${port || 3306}`;
    if ((err as { sqlState?: string }).sqlState) {
      // The server answered but said no (login, missing database…): starting one would not help.
      throw new Error(
        `MySQL/MariaDB at ${where} refused the connection (${describe(err)}). Check MYSQL_URL.`,
        { cause: err },
      );
    }
    throw new Error(
      [
        `MySQL/MariaDB is not reachable at ${where} (${describe(err)}).`,
        'Start one, then retry:',
        '  Debian with MariaDB installed:  start-stop-daemon --start --oknodo --background --exec /usr/sbin/mariadbd',
        '  Docker:                         docker compose -f docker/compose.yml up mysql',
        'or point MYSQL_URL at a running server (e.g. mysql://root:secret@127.0.0.1:3306).',
      ].join('\n'),
      { cause: err },
    );
  }
}

function describe(err: unknown): string {
  const { code, message } = err as { code?: string; message?: string };
  return code ? `${code}: ${message}` : String(message ?? err);
}

/** The URL with any password masked, for printing. */
export function redactUrl(url: string): string {
  const u = new URL(url);
  if (u.password) u.password = '***';
  return u.toString();
}
