import { Module } from '@nestjs/common';
import { BankModule } from '../bank/bank.module';
import { BankAccountsController } from './bank-accounts.controller';
import { BankAccountsRepository } from './bank-accounts.repository';
import { BankAccountsService } from './bank-accounts.service';

@Module({
  imports: [BankModule],
  controllers: [BankAccountsController],
  providers: [BankAccountsRepository, BankAccountsService],
  exports: [BankAccountsRepository],
})
export class BankAccountsModule {}
