import { Module } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { AuthGuard } from './auth.guard';
import { RevokedSessions } from './revoked-sessions';
import { TokenVerifier } from './token-verifier';

/** Import once per app: verifies every non-public request's token itself (no trust in the network). */
@Module({
  providers: [TokenVerifier, RevokedSessions, { provide: APP_GUARD, useClass: AuthGuard }],
  exports: [TokenVerifier, RevokedSessions],
})
export class AuthModule {}
