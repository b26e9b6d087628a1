import { Global, Module } from '@nestjs/common';
import { Limits } from '../limits/limits';
import { Ledger } from './ledger';
import { SystemAccounts } from './system-accounts';

@Global()
@Module({ providers: [Ledger, SystemAccounts, Limits], exports: [Ledger, SystemAccounts, Limits] })
export class LedgerModule {}
