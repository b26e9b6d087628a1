import type { ExecutionContext } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { RequestLogFields } from '@paychat/platform';
import type { AuthUser, CallerResolver } from './auth-user';
import { AuthGuard } from './auth.guard';
import type { TokenRejections } from './token-rejections';
import type { TokenVerifier } from './token-verifier';

const verified = { sub: 'cognito-sub-1', groups: [] } as unknown as AuthUser;
const verifier = {
  verifyBearer: async () => verified,
  assertAdmin: () => undefined,
} as unknown as TokenVerifier;
const rejections = { count: () => undefined } as unknown as TokenRejections;

/** The raw request a route's guard sees, and what the access log will read from it. */
async function loggedCaller(callers?: CallerResolver): Promise<RequestLogFields> {
  const raw: RequestLogFields = {};
  const request = { headers: { authorization: 'Bearer a.b.c' }, id: 'req-1', raw };
  const context = {
    getHandler: () => loggedCaller,
    getClass: () => AuthGuard,
    switchToHttp: () => ({ getRequest: () => request }),
  } as unknown as ExecutionContext;
  await new AuthGuard(new Reflector(), verifier, rejections, callers).canActivate(context);
  return raw;
}

describe('AuthGuard: who the access log names', () => {
  it('logs the wallet’s user id where the app resolves callers, with the Cognito subject beside it', async () => {
    const callers: CallerResolver = { resolve: async () => ({ userId: '01JD2V4Q8X3M5N7P9R1T3V5X7Z' }) };
    expect(await loggedCaller(callers)).toMatchObject({
      userId: '01JD2V4Q8X3M5N7P9R1T3V5X7Z',
      sub: 'cognito-sub-1',
    });
  });

  it('logs only the subject where the app knows no user id (never the subject as the user id)', async () => {
    const raw = await loggedCaller();
    expect(raw.sub).toBe('cognito-sub-1');
    expect(raw.userId).toBeUndefined();
  });
});
