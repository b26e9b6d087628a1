import { Controller, Get, Query } from '@nestjs/common';
import { Caller, type WalletCaller } from '../callers/wallet-caller';
import { PageQuery } from '@paychat/platform';
import { ListTransactions } from './list-transactions.usecase';
import { ViewWallet } from './view-wallet.usecase';
import type { WalletView } from './wallet.dto';

@Controller('v2/wallet')
export class WalletController {
  constructor(
    private readonly viewWallet: ViewWallet,
    private readonly listTransactions: ListTransactions,
  ) {}

  @Get()
  wallet(@Caller() caller: WalletCaller): Promise<WalletView> {
    return this.viewWallet.execute(caller);
  }

  @Get('transactions')
  transactions(@Caller() caller: WalletCaller, @Query() query: PageQuery) {
    return this.listTransactions.execute(caller.accountId, query);
  }
}
