import { type DynamicModule, Module, type Type } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { AuthGuard } from './auth.guard';
import { RevokedSessions } from './revoked-sessions';
import { TokenRejections } from './token-rejections';
import { TokenVerifier } from './token-verifier';

/**
 * Verifying Cognito tokens (signature, expiry, revocation) without guarding anything: for an app
 * whose routes mostly speak another scheme and that checks tokens on a few of its own (legacy's
 * old admin). Everything else imports AuthModule.
 */
@Module({
  providers: [TokenVerifier, TokenRejections, RevokedSessions],
  exports: [TokenVerifier, TokenRejections, RevokedSessions],
})
export class TokenVerificationModule {}

const guard = { provide: APP_GUARD, useClass: AuthGuard };
const exportsOf = [TokenVerificationModule];

/** Import once per app: verifies every non-public request's token itself (no trust in the network). */
@Module({ imports: [TokenVerificationModule], providers: [guard], exports: exportsOf })
export class AuthModule {
  /**
   * For an app that turns a verified token into its own caller: `callers` is the app's module
   * exporting CALLER_RESOLVER, imported here so the app-wide guard can see it (no @Global needed).
   */
  static withCallers(callers: Type): DynamicModule {
    return {
      module: AuthModule,
      imports: [TokenVerificationModule, callers],
      providers: [guard],
      exports: exportsOf,
    };
  }
}
