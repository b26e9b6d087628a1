import { Controller, Get, Header, Param, Query, UseGuards } from '@nestjs/common';
import { UserIdParams, UserListQuery } from './admin-users.dto';
import { AdminUsersService } from './admin-users.service';
import { LegacyAdminGuard } from './legacy-admin.guard';

/** The old admin screens, server-rendered; security headers come from registerOldAdminHeaders. */
@Controller('admin/v1')
@UseGuards(LegacyAdminGuard)
export class AdminPagesController {
  constructor(private readonly users: AdminUsersService) {}

  @Get('users')
  @Header('content-type', 'text/html; charset=utf-8')
  list(@Query() q: UserListQuery): Promise<string> {
    return this.users.listPage(q.after);
  }

  @Get('users/:id')
  @Header('content-type', 'text/html; charset=utf-8')
  detail(@Param() p: UserIdParams): Promise<string> {
    return this.users.detailPage(p.id);
  }
}
