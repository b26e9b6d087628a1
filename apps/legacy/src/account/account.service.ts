import { Injectable } from '@nestjs/common';
import type { LegacyCaller } from '../sessions/legacy-caller';
import { AccountRepository } from './account.repository';

export interface ProfileView {
  id: number;
  email: string;
  name: string;
}

export interface BalanceView {
  userId: number;
  balance: number;
  currency: 'JPY';
}

@Injectable()
export class AccountService {
  constructor(private readonly accounts: AccountRepository) {}

  /** The session lookup already read the user row; no second query. */
  profile(user: LegacyCaller): ProfileView {
    return { id: user.id, email: user.email, name: user.name };
  }

  async balance(user: LegacyCaller): Promise<BalanceView> {
    return { userId: user.id, balance: await this.accounts.balanceOf(user.id), currency: 'JPY' };
  }
}
