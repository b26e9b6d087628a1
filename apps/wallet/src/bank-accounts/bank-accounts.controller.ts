import { Body, Controller, Delete, Get, HttpCode, Param, Post } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { Caller, type WalletCaller } from '../callers/wallet-caller';
import { IdParams } from '../transfers/transfers.dto';
import { LinkBankAccountDto } from './bank-accounts.dto';
import { BankAccountsRepository } from './bank-accounts.repository';
import { BankAccountsService } from './bank-accounts.service';

@Controller('v2/wallet/bank-accounts')
export class BankAccountsController {
  constructor(
    private readonly service: BankAccountsService,
    private readonly accounts: BankAccountsRepository,
    private readonly dataSource: DataSource,
  ) {}

  @Post()
  @HttpCode(201)
  link(@Caller() caller: WalletCaller, @Body() dto: LinkBankAccountDto) {
    return this.service.link(caller.userId, dto);
  }

  @Get()
  async list(@Caller() caller: WalletCaller) {
    return { items: await this.accounts.list(this.dataSource.manager, caller.userId), nextCursor: null };
  }

  @Delete(':id')
  @HttpCode(204)
  async remove(@Caller() caller: WalletCaller, @Param() params: IdParams) {
    await this.service.remove(caller.userId, params.id);
  }
}
