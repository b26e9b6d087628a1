import { Global, Module } from '@nestjs/common';
import { Ledger } from './ledger';
import { SystemAccounts } from './system-accounts';

@Global()
@Module({ providers: [Ledger, SystemAccounts], exports: [Ledger, SystemAccounts] })
export class LedgerModule {}
