import { Module } from '@nestjs/common';
import { InternalGuard } from '@paychat/signing';
import { LegacySessionGuard } from './legacy-session.guard';
import { MigrationController } from './migration.controller';
import { SessionsController } from './sessions.controller';
import { SessionsRepository } from './sessions.repository';
import { SessionsService } from './sessions.service';

/** Login/logout, and the session guard every other `/v1` feature imports. */
@Module({
  controllers: [SessionsController, MigrationController],
  providers: [SessionsRepository, SessionsService, LegacySessionGuard, InternalGuard],
  exports: [SessionsService, LegacySessionGuard],
})
export class SessionsModule {}
