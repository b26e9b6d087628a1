import { Module } from '@nestjs/common';
import { TokenVerificationModule } from '@paychat/auth';
import { AdminPagesController } from './admin-pages.controller';
import { AdminUsersRepository } from './admin-users.repository';
import { AdminUsersService } from './admin-users.service';

/**
 * The old admin screens (`/admin/v1`). Cognito's verifier without AuthModule: its app-wide guard
 * would demand a Bearer token on every `/v1` route, which speak legacy sessions.
 */
@Module({
  imports: [TokenVerificationModule],
  controllers: [AdminPagesController],
  providers: [AdminUsersRepository, AdminUsersService],
})
export class AdminModule {}
