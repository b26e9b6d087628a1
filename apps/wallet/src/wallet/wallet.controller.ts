import { Controller, Get, Query } from '@nestjs/common';
import { CurrentCaller } from '@paychat/auth';
import type { WalletCaller } from '../callers/wallet-caller';
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
  wallet(@CurrentCaller() caller: WalletCaller): Promise<WalletView> {
    return this.viewWallet.execute(caller);
  }

  @Get('transactions')
  transactions(@CurrentCaller() caller: WalletCaller, @Query() query: PageQuery) {
    return this.listTransactions.execute(caller.accountId, query);
  }
}
