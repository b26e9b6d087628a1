import { Global, Module } from '@nestjs/common';
import { BankAccountsController } from './bank-accounts.controller';
import { BankAccountsRepository } from './bank-accounts.repository';
import { BankAccountsService } from './bank-accounts.service';

@Global()
@Module({
  controllers: [BankAccountsController],
  providers: [BankAccountsRepository, BankAccountsService],
  exports: [BankAccountsRepository],
})
export class BankAccountsModule {}
