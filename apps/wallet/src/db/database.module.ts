import { Module, OnModuleInit } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { APP_CONFIG, Readiness } from '@paychat/platform';
import { DataSource } from 'typeorm';
import type { WalletEnv } from '../wallet.env';

/**
 * The ledger's MySQL connection pool. BIGINTs come back as exact strings (never floats); the schema
 * is owned by `npm run migrate`, never synchronised or migrated at boot.
 */
@Module({
  imports: [
    TypeOrmModule.forRootAsync({
      inject: [APP_CONFIG],
      useFactory: (config: WalletEnv) => ({
        type: 'mysql',
        url: config.WALLET_DB_URL,
        supportBigNumbers: true,
        bigNumberStrings: true,
        timezone: 'Z',
        charset: 'utf8mb4_bin',
        poolSize: 32,
        synchronize: false,
        migrationsRun: false,
        autoLoadEntities: true,
      }),
    }),
  ],
})
export class DatabaseModule implements OnModuleInit {
  constructor(
    private readonly dataSource: DataSource,
    private readonly readiness: Readiness,
  ) {}

  onModuleInit(): void {
    this.readiness.register('mysql', () => this.dataSource.query('SELECT 1'));
  }
}
