import { type DynamicModule, Module, type Type } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { AuthGuard } from './auth.guard';
import { RevokedSessions } from './revoked-sessions';
import { TokenRejections } from './token-rejections';
import { TokenVerifier } from './token-verifier';

const providers = [
  TokenVerifier,
  TokenRejections,
  RevokedSessions,
  { provide: APP_GUARD, useClass: AuthGuard },
];
const exportsOf = [TokenVerifier, RevokedSessions];

/** Import once per app: verifies every non-public request's token itself (no trust in the network). */
@Module({ providers, exports: exportsOf })
export class AuthModule {
  /**
   * For an app that turns a verified token into its own caller: `callers` is the app's module
   * exporting CALLER_RESOLVER, imported here so the app-wide guard can see it (no @Global needed).
   */
  static withCallers(callers: Type): DynamicModule {
    return { module: AuthModule, imports: [callers], providers, exports: exportsOf };
  }
}
