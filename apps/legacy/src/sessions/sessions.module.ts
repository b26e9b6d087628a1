import { Module } from '@nestjs/common';
import { LegacySessionGuard } from './legacy-session.guard';
import { SessionsController } from './sessions.controller';
import { SessionsRepository } from './sessions.repository';
import { SessionsService } from './sessions.service';

/** Login/logout, and the session guard every other `/v1` feature imports. */
@Module({
  controllers: [SessionsController],
  providers: [SessionsRepository, SessionsService, LegacySessionGuard],
  exports: [SessionsService, LegacySessionGuard],
})
export class SessionsModule {}
