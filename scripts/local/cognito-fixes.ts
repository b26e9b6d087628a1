import { createPrivateKey } from 'node:crypto';
import { decodeJwt, SignJWT } from 'jose';
import { NotAuthorizedError, UserNotFoundError } from 'cognito-local/lib/errors';
import privateKey from 'cognito-local/lib/keys/cognitoLocal.private.json';
import type { Route, Router } from 'cognito-local/lib/server/Router';
import type { Services } from 'cognito-local/lib/services';
import type { Context } from 'cognito-local/lib/services/context';
import type { UserPoolService } from 'cognito-local/lib/services/userPoolService';

/**
 * Where cognito-local (5.3) differs from Cognito in ways paychat relies on, fixed in front of its
 * own routes (its package stays as installed):
 * - a disabled user (AdminDisableUser) can still sign in and refresh: Cognito says
 *   NotAuthorizedException "User is disabled.";
 * - AdminUserGlobalSignOut is missing: Cognito revokes the user's refresh tokens (the wallet's
 *   "disable user" calls it);
 * - access tokens carry no `origin_jti`: Cognito's names the login (the refresh token) a token
 *   descends from, which logout revokes as a whole. Here it is the refresh token's own `jti`.
 */
export function withCognitoFixes(services: Services, stock: Router): Router {
  const fixes: Record<string, (route: Route) => Route> = {
    InitiateAuth: (route) => refusingDisabledUsers(services, route),
    AdminInitiateAuth: (route) => refusingDisabledUsers(services, route),
    AdminUserGlobalSignOut: () => (ctx, req) => globalSignOut(services, ctx, req),
  };
  return (target) => withOriginJti(fixes[target]?.(stock(target)) ?? stock(target));
}

interface AuthRequest {
  ClientId?: string;
  UserPoolId?: string;
  AuthFlow?: string;
  AuthParameters?: { USERNAME?: string; REFRESH_TOKEN?: string };
}

function poolOf(services: Services, ctx: Context, req: AuthRequest): Promise<UserPoolService> {
  return req.UserPoolId
    ? services.cognito.getUserPool(ctx, req.UserPoolId)
    : services.cognito.getUserPoolForClientId(ctx, req.ClientId ?? '');
}

function refusingDisabledUsers(services: Services, route: Route): Route {
  return async (ctx, req: AuthRequest) => {
    const pool = await poolOf(services, ctx, req);
    const { USERNAME, REFRESH_TOKEN } = req.AuthParameters ?? {};
    const user = REFRESH_TOKEN
      ? await pool.getUserByRefreshToken(ctx, REFRESH_TOKEN)
      : USERNAME
        ? await pool.getUserByUsername(ctx, USERNAME)
        : null;
    if (user?.Enabled === false) throw new NotAuthorizedError('User is disabled.');
    return route(ctx, req);
  };
}

async function globalSignOut(
  services: Services,
  ctx: Context,
  req: { UserPoolId: string; Username: string },
): Promise<object> {
  const pool = await services.cognito.getUserPool(ctx, req.UserPoolId);
  const user = await pool.getUserByUsername(ctx, req.Username);
  if (!user) throw new UserNotFoundError();
  await pool.saveUser(ctx, { ...user, RefreshTokens: [] });
  return {};
}

const signingKey = createPrivateKey({ key: privateKey.jwk, format: 'jwk' });

/** Re-signs an answer's access token (with cognito-local's own key) adding `origin_jti`. */
function withOriginJti(route: Route): Route {
  return async (ctx, req: AuthRequest) => {
    const out = (await route(ctx, req)) as { AuthenticationResult?: Record<string, string> } | undefined;
    const result = out?.AuthenticationResult;
    const origin = req.AuthParameters?.REFRESH_TOKEN ?? result?.RefreshToken;
    if (!result?.AccessToken || !origin) return out;
    const claims = { ...decodeJwt(result.AccessToken), origin_jti: decodeJwt(origin).jti };
    result.AccessToken = await new SignJWT(claims)
      .setProtectedHeader({ alg: 'RS256', kid: 'CognitoLocal' })
      .sign(signingKey);
    return out;
  };
}
