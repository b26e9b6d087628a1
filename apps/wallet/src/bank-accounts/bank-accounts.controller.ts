import { Body, Controller, Delete, Get, HttpCode, Param, Post } from '@nestjs/common';
import { CurrentCaller } from '@paychat/auth';
import type { WalletCaller } from '../callers/wallet-caller';
import { IdParams } from '../transfers/transfers.dto';
import { LinkBankAccountDto } from './bank-accounts.dto';
import { BankAccountsService } from './bank-accounts.service';

@Controller('v2/wallet/bank-accounts')
export class BankAccountsController {
  constructor(private readonly service: BankAccountsService) {}

  @Post()
  @HttpCode(201)
  link(@CurrentCaller() caller: WalletCaller, @Body() dto: LinkBankAccountDto) {
    return this.service.link(caller.userId, dto);
  }

  @Get()
  list(@CurrentCaller() caller: WalletCaller) {
    return this.service.list(caller.userId);
  }

  @Delete(':id')
  @HttpCode(204)
  async remove(@CurrentCaller() caller: WalletCaller, @Param() params: IdParams) {
    await this.service.remove(caller.userId, params.id);
  }
}
