import { Body, Controller, Get, Header, HttpCode, Param, Post, Query } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { AdminOnly } from '@paychat/auth';
import { HistoryRepository } from '../wallet/history.repository';
import { PageQuery } from '@paychat/platform';
import { AdminActions } from './admin-actions';
import { AdminUsersRepository } from './admin-users.repository';
import { Admin, Audit, type AdminContext } from './audit';
import {
  KycDto,
  MerchantDto,
  OptionalReasonDto,
  ReasonDto,
  UserIdParams,
  UserSearchQuery,
} from './admin.dto';

/** /admin/v2: the admin group only; every action and every read of personal data is audited. */
@AdminOnly()
@Controller('admin/v2')
export class AdminUsersController {
  constructor(
    private readonly dataSource: DataSource,
    private readonly users: AdminUsersRepository,
    private readonly history: HistoryRepository,
    private readonly actions: AdminActions,
    private readonly audit: Audit,
  ) {}

  @Get('users')
  @Header('cache-control', 'no-store')
  async search(@Admin() who: AdminContext, @Query() q: UserSearchQuery) {
    await this.audit.record(this.dataSource.manager, who, {
      action: 'user.search',
      targetType: 'user',
      details: { query: q.query },
    });
    return { items: await this.users.search(this.dataSource.manager, q.query), nextCursor: null };
  }

  @Get('users/:userId')
  @Header('cache-control', 'no-store')
  async one(@Admin() who: AdminContext, @Param() p: UserIdParams) {
    await this.audit.record(this.dataSource.manager, who, {
      action: 'user.read',
      targetType: 'user',
      targetId: p.userId,
    });
    return this.users.one(this.dataSource.manager, p.userId);
  }

  @Get('users/:userId/transactions')
  @Header('cache-control', 'no-store')
  async transactions(@Admin() who: AdminContext, @Param() p: UserIdParams, @Query() page: PageQuery) {
    const user = await this.users.one(this.dataSource.manager, p.userId);
    await this.audit.record(this.dataSource.manager, who, {
      action: 'user.transactions.read',
      targetType: 'user',
      targetId: p.userId,
    });
    return this.history.page(this.dataSource.manager, user.wallet.accountId, page.limit, page.cursor);
  }

  @Post('users/:userId/kyc')
  @HttpCode(200)
  kyc(@Admin() who: AdminContext, @Param() p: UserIdParams, @Body() dto: KycDto) {
    return this.actions.setKyc(who, p.userId, dto.level);
  }

  @Post('users/:userId/disable')
  @HttpCode(200)
  disable(@Admin() who: AdminContext, @Param() p: UserIdParams, @Body() dto: OptionalReasonDto) {
    return this.actions.disable(who, p.userId, dto.reason);
  }

  @Post('wallets/:userId/freeze')
  @HttpCode(200)
  freeze(@Admin() who: AdminContext, @Param() p: UserIdParams, @Body() dto: ReasonDto) {
    return this.actions.setFrozen(who, p.userId, true, dto.reason);
  }

  @Post('wallets/:userId/unfreeze')
  @HttpCode(200)
  unfreeze(@Admin() who: AdminContext, @Param() p: UserIdParams, @Body() dto: ReasonDto) {
    return this.actions.setFrozen(who, p.userId, false, dto.reason);
  }

  @Post('merchants')
  @HttpCode(201)
  merchant(@Admin() who: AdminContext, @Body() dto: MerchantDto) {
    return this.actions.createMerchant(who, dto.name);
  }
}
