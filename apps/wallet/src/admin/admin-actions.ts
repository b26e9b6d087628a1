import {
  AdminDisableUserCommand,
  AdminUserGlobalSignOutCommand,
  CognitoIdentityProviderClient,
} from '@aws-sdk/client-cognito-identity-provider';
import { Inject, Injectable, Logger } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { cognitoIssuer } from '@paychat/auth';
import { APP_CONFIG } from '@paychat/platform';
import { WalletCallerResolver } from '../callers/caller.resolver';
import { newId } from '../db/new-id';
import type { Statement } from '../db/statement';
import { inTransaction } from '../db/transaction';
import { AccountsRepository } from '../ledger/accounts.repository';
import type { KycLevel } from '../limits/kyc-limits';
import { MerchantsRepository } from '../payments/merchants.repository';
import { UsersRepository } from '../users/users.repository';
import type { WalletEnv } from '../wallet.env';
import type { AdminUserView } from './admin.dto';
import { AdminUsersRepository } from './admin-users.repository';
import { AdminContext, Audit } from './audit';

/** Operator actions on users and wallets: each one short transaction together with its audit entry. */
@Injectable()
export class AdminActions {
  private readonly logger = new Logger(AdminActions.name);

  constructor(
    private readonly dataSource: DataSource,
    private readonly users: AdminUsersRepository,
    private readonly accounts: AccountsRepository,
    private readonly userRows: UsersRepository,
    private readonly merchants: MerchantsRepository,
    private readonly audit: Audit,
    private readonly callers: WalletCallerResolver,
    private readonly cognito: CognitoIdentityProviderClient,
    @Inject(APP_CONFIG) private readonly config: WalletEnv,
  ) {}

  setKyc(who: AdminContext, userId: string, level: KycLevel): Promise<AdminUserView> {
    return this.change(who, userId, 'user.kyc', { level }, this.userRows.setKycLevel(userId, level));
  }

  /** A frozen wallet can neither pay, be paid, charge nor withdraw; operations already pending complete. */
  setFrozen(who: AdminContext, userId: string, frozen: boolean, reason: string): Promise<AdminUserView> {
    return this.change(
      who,
      userId,
      frozen ? 'wallet.freeze' : 'wallet.unfreeze',
      { reason },
      this.accounts.setUserStatus(userId, frozen ? 'frozen' : 'active'),
    );
  }

  /** Refused here at once, by every service within the status cache (≤ 30 s), and by Cognito for new tokens. */
  async disable(who: AdminContext, userId: string, reason?: string): Promise<AdminUserView> {
    const view = await this.change(who, userId, 'user.disable', { reason }, this.userRows.disable(userId));
    this.callers.forget(userId);
    const subjects = await this.userRows.subjects(userId, cognitoIssuer(this.config));
    for (const subject of subjects) {
      const target = { UserPoolId: this.config.COGNITO_USER_POOL_ID, Username: subject };
      await this.cognito.send(new AdminDisableUserCommand(target));
      // Revokes refresh tokens; access tokens already issued stay valid until they expire (short in IaC).
      await this.cognito.send(new AdminUserGlobalSignOutCommand(target)).catch((err: Error) => {
        this.logger.warn(
          { userId, err: err.message },
          'global sign-out failed (cognito-local does not support it)',
        );
      });
    }
    return view;
  }

  async createMerchant(
    who: AdminContext,
    name: string,
  ): Promise<{ id: string; name: string; accountId: string }> {
    const id = newId();
    return inTransaction(this.dataSource, async (m) => {
      await this.merchants.create(m, id, name);
      const accountId = await this.accounts.openMerchantAccount(m, id);
      await this.audit.record(m, who, {
        action: 'merchant.create',
        targetType: 'merchant',
        targetId: id,
        details: { name },
      });
      return { id, name, accountId };
    });
  }

  private async change(
    who: AdminContext,
    userId: string,
    action: string,
    details: Record<string, unknown>,
    write: Statement,
  ): Promise<AdminUserView> {
    return inTransaction(this.dataSource, async (m) => {
      await this.users.one(m, userId);
      await m.query(write.sql, write.params);
      await this.audit.record(m, who, { action, targetType: 'user', targetId: userId, details });
      return this.users.one(m, userId);
    });
  }
}
