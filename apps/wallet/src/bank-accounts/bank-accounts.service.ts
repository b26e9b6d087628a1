import { Inject, Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { newId } from '../db/new-id';
import { AppError } from '@paychat/errors';
import { APP_CONFIG, type Page } from '@paychat/platform';
import { selectOne } from '../db/rows';
import { inTransaction } from '../db/transaction';
import { BankGateway } from '../bank/bank-gateway';
import type { WalletEnv } from '../wallet.env';
import type { BankAccountView, LinkBankAccountDto } from './bank-accounts.dto';
import { BankAccountsRepository } from './bank-accounts.repository';
import { EnvelopeCipher } from './envelope-cipher';

/** Linking asks the bank to confirm ownership (outside any transaction); deleting is soft. */
@Injectable()
export class BankAccountsService {
  private readonly cipher: EnvelopeCipher;

  constructor(
    private readonly dataSource: DataSource,
    private readonly bank: BankGateway,
    private readonly accounts: BankAccountsRepository,
    @Inject(APP_CONFIG) config: WalletEnv,
  ) {
    this.cipher = new EnvelopeCipher(Buffer.from(config.BANK_ACCOUNT_KEY, 'base64'));
  }

  async link(userId: string, dto: LinkBankAccountDto): Promise<BankAccountView> {
    const id = newId();
    await this.accounts.insertPending(this.dataSource, {
      id,
      userId,
      bankCode: dto.bankCode,
      branchCode: dto.branchCode,
      accountNumberSealed: this.cipher.seal(dto.accountNumber),
      last4: dto.accountNumber.slice(-4),
      holderName: dto.holderName,
    });
    const verdict = await this.bank.verifyAccount(id, dto).catch(() => 'pending' as const);
    if (verdict !== 'pending') await this.accounts.recordVerdict(this.dataSource, id, verdict);
    return this.accounts.owned(this.dataSource.manager, userId, id);
  }

  async list(userId: string): Promise<Page<BankAccountView>> {
    return { items: await this.accounts.list(this.dataSource.manager, userId), nextCursor: null };
  }

  /** Refused while a charge or withdrawal on it is still pending (the bank may yet answer). */
  async remove(userId: string, id: string): Promise<void> {
    await inTransaction(this.dataSource, async (m) => {
      await this.accounts.owned(m, userId, id, true);
      const busy = await selectOne(
        m,
        `SELECT 1 FROM charges WHERE bank_account_id = ? AND status = 'pending'
         UNION ALL SELECT 1 FROM withdrawals WHERE bank_account_id = ? AND status = 'pending' LIMIT 1`,
        [id, id],
      );
      if (busy)
        throw new AppError('bank_account_in_use', 'An operation on this bank account is still pending');
      await this.accounts.remove(m, id);
    });
  }
}
