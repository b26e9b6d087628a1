import { Body, Controller, Get, Header, HttpCode, Param, Post, Query } from '@nestjs/common';
import { AdminOnly } from '@paychat/auth';
import { PageQuery } from '@paychat/platform';
import { AdminActions } from './admin-actions';
import { Admin, type AdminContext } from './audit';
import { AuditedUserReads } from './audited-user-reads';
import { ListMerchants } from './list-merchants.usecase';
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
    private readonly reads: AuditedUserReads,
    private readonly actions: AdminActions,
    private readonly listMerchants: ListMerchants,
  ) {}

  @Get('users')
  @Header('cache-control', 'no-store')
  search(@Admin() who: AdminContext, @Query() q: UserSearchQuery) {
    return this.reads.search(who, q.query);
  }

  @Get('users/:userId')
  @Header('cache-control', 'no-store')
  one(@Admin() who: AdminContext, @Param() p: UserIdParams) {
    return this.reads.one(who, p.userId);
  }

  @Get('users/:userId/transactions')
  @Header('cache-control', 'no-store')
  transactions(@Admin() who: AdminContext, @Param() p: UserIdParams, @Query() page: PageQuery) {
    return this.reads.transactions(who, p.userId, page);
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

  @Get('merchants')
  @Header('cache-control', 'no-store')
  merchants(@Query() page: PageQuery) {
    return this.listMerchants.execute(page);
  }
}
