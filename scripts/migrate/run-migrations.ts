import { DataSource, type MigrationInterface } from 'typeorm';

/**
 * Brings one MySQL database up to date with its TypeORM migrations (each in its own transaction,
 * recorded in `typeorm_migrations`) as `url`'s user; returns the names applied, none when up to date.
 * Both databases — the wallet's and legacy's — are migrated through here.
 */
export async function runMigrations(
  url: string,
  migrations: (new () => MigrationInterface)[],
): Promise<string[]> {
  const dataSource = new DataSource({
    type: 'mysql',
    url,
    migrations,
    migrationsTableName: 'typeorm_migrations',
    supportBigNumbers: true,
    bigNumberStrings: true,
  });
  await dataSource.initialize();
  try {
    const applied = await dataSource.runMigrations({ transaction: 'each' });
    return applied.map((m) => m.name);
  } finally {
    await dataSource.destroy();
  }
}
