/**
 * Cognito's user-migration trigger (plain TypeScript, no framework; deployed as its own Lambda).
 * When someone signs in — or asks for a password reset — with an email Cognito does not know, Cognito
 * asks this function; it checks with the legacy app (a signed internal call, bcrypt there) and, for
 * a legacy user, answers with the attributes of the new Cognito user. From then on the user is a
 * Cognito user and legacy is never asked again. Cognito gives a trigger 5 s: the legacy call has
 * its own, shorter, timeout.
 */
// Imported by path, not through the lib's index: the Lambda bundle carries no framework.
import { signRequest } from '../../libs/signing/src/signature';

export const LEGACY_ID_ATTRIBUTE = 'custom:legacy_user_id';

export interface UserMigrationEvent {
  triggerSource: string;
  userName: string;
  request: { password?: string; validationData?: Record<string, string> };
  response: Record<string, unknown>;
}

export interface Settings {
  legacyUrl: string;
  /** The user-migration→legacy pair secret (`user-migration>legacy` in the legacy app's INTERNAL_SECRETS). */
  secret: () => Promise<string>;
  timeoutMs: number;
}

interface LegacyUser {
  id: number;
  email: string;
  name: string;
}

/**
 * The legacy user, null when legacy answers one of the `absent` statuses ("no such user", "wrong
 * password"); throws when it cannot say. Also used by the PreSignUp trigger (lambdas/pre-sign-up).
 */
export async function askLegacy(
  settings: Settings,
  path: string,
  payload: object,
  absent: readonly number[],
): Promise<LegacyUser | null> {
  const body = JSON.stringify(payload);
  const response = await fetch(new URL(path, settings.legacyUrl), {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      ...signRequest(
        { caller: 'user-migration', target: 'legacy', secret: await settings.secret() },
        { method: 'POST', path, body },
      ),
    },
    body,
    signal: AbortSignal.timeout(settings.timeoutMs),
  });
  if (absent.includes(response.status)) return null;
  if (!response.ok) throw new Error(`legacy answered ${response.status}`);
  return (await response.json()) as LegacyUser;
}

export function createHandler(settings: Settings) {
  const ask = (path: string, payload: object) => askLegacy(settings, path, payload, [401, 404]);

  // Never `sub`: Cognito makes the new user's own; the legacy id travels in a custom attribute
  // that no app client may write.
  const attributes = (user: LegacyUser) => ({
    email: user.email,
    email_verified: 'true',
    name: user.name,
    [LEGACY_ID_ATTRIBUTE]: String(user.id),
  });

  return async (event: UserMigrationEvent): Promise<UserMigrationEvent> => {
    if (event.triggerSource === 'UserMigration_Authentication') {
      const user = await ask('/internal/users/verify', {
        email: event.userName,
        password: event.request.password ?? '',
      });
      // Cognito turns a thrown error into a failed sign-in (the same answer as a wrong password).
      if (!user) throw new Error('Bad credentials');
      event.response = {
        userAttributes: attributes(user),
        finalUserStatus: 'CONFIRMED',
        messageAction: 'SUPPRESS',
      };
      return event;
    }
    if (event.triggerSource === 'UserMigration_ForgotPassword') {
      const user = await ask('/internal/users/lookup', { email: event.userName });
      if (!user) throw new Error('User not found');
      event.response = {
        userAttributes: attributes(user),
        finalUserStatus: 'RESET_REQUIRED',
        messageAction: 'SUPPRESS',
      };
      return event;
    }
    throw new Error(`Unsupported trigger ${event.triggerSource}`);
  };
}

/**
 * In AWS: LEGACY_URL, and the signing secret read once through the AWS Parameters and Secrets
 * Lambda extension (USER_MIGRATION_SECRET_ARN), or given directly (USER_MIGRATION_SECRET).
 */
export function settingsFromEnv(env: NodeJS.ProcessEnv): Settings {
  let secret: Promise<string> | undefined;
  return {
    legacyUrl: env.LEGACY_URL ?? 'http://127.0.0.1:3003',
    timeoutMs: Number(env.LEGACY_TIMEOUT_MS ?? 3000),
    secret: () =>
      (secret ??= env.USER_MIGRATION_SECRET
        ? Promise.resolve(env.USER_MIGRATION_SECRET)
        : fetch(
            `http://localhost:2773/secretsmanager/get?secretId=${encodeURIComponent(env.USER_MIGRATION_SECRET_ARN ?? '')}`,
            { headers: { 'X-Aws-Parameters-Secrets-Token': env.AWS_SESSION_TOKEN ?? '' } },
          )
            .then((r) => r.json() as Promise<{ SecretString: string }>)
            .then((s) => s.SecretString)),
  };
}

export const handler = createHandler(settingsFromEnv(process.env));
