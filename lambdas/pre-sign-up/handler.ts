/**
 * Cognito's PreSignUp trigger (plain TypeScript; deployed as its own Lambda beside user-migration).
 * A new Cognito user holding a legacy user's email would stop that user's migration for good: Cognito
 * asks the user-migration trigger only about emails it does not know. So a sign-up (or an admin
 * creating a user) with an email the legacy app knows is refused; that person signs in with their
 * legacy password instead and is migrated. Federated sign-ins are not usernames: they pass.
 */
import { askLegacy, type Settings, settingsFromEnv } from '../user-migration/handler';

/** In the error Cognito relays (UserLambdaValidationException), so the gateway can tell this refusal apart. */
export const LEGACY_EMAIL_REFUSAL = 'legacy_account';

export interface PreSignUpEvent {
  triggerSource: string;
  userName: string;
  request: { userAttributes: Record<string, string> };
  response: Record<string, unknown>;
}

const CHECKED = new Set(['PreSignUp_SignUp', 'PreSignUp_AdminCreateUser']);

export function createHandler(
  settings: Settings & {
    /** Let a sign-up through when legacy cannot answer: only the local stack, where legacy may not run. */
    allowWhenLegacyUnreachable?: boolean;
  },
) {
  async function isLegacyEmail(email: string): Promise<boolean> {
    try {
      // Only 404 is "not a legacy user": a refused signature must not let every sign-up through.
      return (await askLegacy(settings, '/internal/users/lookup', { email }, [404])) !== null;
    } catch (err) {
      if (settings.allowWhenLegacyUnreachable) return false;
      // Refused rather than risked: Cognito answers the sign-up with an error, the client retries.
      throw new Error(`legacy_unreachable: ${(err as Error).message}`, { cause: err });
    }
  }

  return async (event: PreSignUpEvent): Promise<PreSignUpEvent> => {
    const email = event.request.userAttributes.email;
    if (CHECKED.has(event.triggerSource) && email && (await isLegacyEmail(email)))
      throw new Error(`${LEGACY_EMAIL_REFUSAL}: sign in with the paychat v1 password to move the account`);
    return event;
  };
}

/** In AWS: the user-migration trigger's settings (LEGACY_URL, its signing secret). */
export const handler = createHandler(settingsFromEnv(process.env));
