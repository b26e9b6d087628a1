import { Controller, Get, Header, Param, Query, UseGuards } from '@nestjs/common';
import { AdminOnly, AuthGuard } from '@paychat/auth';
import { UserIdParams, UserListQuery } from './admin-users.dto';
import { AdminUsersService } from './admin-users.service';

/**
 * The old admin screens, server-rendered; security headers come from registerOldAdminHeaders.
 * Guarded here, by the same check every service runs (an admin-group Cognito token: 401 without a
 * valid one, 403 outside the group), not app-wide: the rest of legacy speaks its own sessions. The
 * ALB sends `/admin/v1/*` straight to this app, so the gateway's check cannot be relied on; a
 * legacy `Session` never opens these pages.
 */
@Controller('admin/v1')
@UseGuards(AuthGuard)
@AdminOnly()
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
