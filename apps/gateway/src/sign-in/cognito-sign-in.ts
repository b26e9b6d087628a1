import {
  AdminConfirmSignUpCommand,
  AdminUpdateUserAttributesCommand,
  AuthenticationResultType,
  CognitoIdentityProviderClient,
  ConfirmForgotPasswordCommand,
  ConfirmSignUpCommand,
  ForgotPasswordCommand,
  InitiateAuthCommand,
  RevokeTokenCommand,
  SignUpCommand,
} from '@aws-sdk/client-cognito-identity-provider';
import { Inject, Injectable } from '@nestjs/common';
import { decodeJwt } from 'jose';
import { CLOCK_TOLERANCE_SECONDS, RevokedSessions, sessionOf } from '@paychat/auth';
import { AppError, asDependencyFailure, ProblemCode } from '@paychat/errors';
import { APP_CONFIG } from '@paychat/platform';
import type { GatewayEnv } from '../gateway.env';
import { ConfirmDto, LoginDto, ResetPasswordDto, SignupDto, TokensView } from './sign-in.dto';

/**
 * Cognito exception names → our codes. Real Cognito says NotAuthorizedException for a wrong password,
 * cognito-local says InvalidPasswordException; both, and an unknown user, are the same 401 (no enumeration).
 */
const LOGIN_FAILURES = new Set([
  'NotAuthorizedException',
  'UserNotFoundException',
  'InvalidPasswordException',
]);
const BY_NAME: Record<string, ProblemCode> = {
  UserNotConfirmedException: 'user_not_confirmed',
  PasswordResetRequiredException: 'password_reset_required',
  CodeMismatchException: 'invalid_code',
  ExpiredCodeException: 'invalid_code',
  InvalidParameterException: 'validation_failed',
  LimitExceededException: 'rate_limited',
  TooManyRequestsException: 'rate_limited',
  TooManyFailedAttemptsException: 'rate_limited',
};

/** Anything else Cognito says is a bug of ours, unless Cognito could not be reached: a 503 to retry. */
function translate(err: unknown, overrides: Record<string, ProblemCode> = {}): never {
  const name = (err as { name?: string }).name ?? '';
  const code = overrides[name] ?? BY_NAME[name];
  if (code) throw new AppError(code);
  throw asDependencyFailure('cognito', err);
}

/** How the PreSignUp trigger (lambdas/pre-sign-up) starts its refusal of a legacy user's email. */
const LEGACY_EMAIL_REFUSAL = 'legacy_account';

/**
 * The email already has an account: a Cognito user, or a legacy one the PreSignUp trigger refused
 * (that person signs in with the legacy password and is migrated). Any other refusal of that
 * trigger means it could not ask the legacy app: 503.
 */
function isTaken(err: unknown): boolean {
  const { name, message } = err as { name?: string; message?: string };
  return (
    name === 'UsernameExistsException' ||
    (name === 'UserLambdaValidationException' && !!message?.includes(`error ${LEGACY_EMAIL_REFUSAL}:`))
  );
}

function tokensView(result: AuthenticationResultType | undefined): TokensView {
  if (!result?.AccessToken || !result.IdToken) throw new AppError('password_reset_required');
  return {
    accessToken: result.AccessToken,
    idToken: result.IdToken,
    ...(result.RefreshToken ? { refreshToken: result.RefreshToken } : {}),
    expiresIn: result.ExpiresIn ?? 3600,
    tokenType: 'Bearer',
  };
}

/** The sign-up/sign-in use cases, each one Cognito call with its failures given stable codes. */
@Injectable()
export class CognitoSignIn {
  constructor(
    private readonly cognito: CognitoIdentityProviderClient,
    @Inject(APP_CONFIG) private readonly config: GatewayEnv,
    private readonly revoked: RevokedSessions,
  ) {}

  private get clientId(): string {
    return this.config.COGNITO_CLIENT_ID;
  }

  /** Answers the same whether or not the email is taken, so sign-up cannot be used to probe accounts. */
  async signup(dto: SignupDto): Promise<{ confirmationRequired: boolean }> {
    try {
      await this.cognito.send(
        new SignUpCommand({
          ClientId: this.clientId,
          Username: dto.email,
          Password: dto.password,
          UserAttributes: [
            { Name: 'email', Value: dto.email },
            { Name: 'name', Value: dto.displayName },
          ],
        }),
      );
      if (this.config.AUTH_AUTO_CONFIRM) {
        const user = { UserPoolId: this.config.COGNITO_USER_POOL_ID, Username: dto.email };
        await this.cognito.send(new AdminConfirmSignUpCommand(user));
        // Stands for the emailed code, which verifies the email (AdminConfirmSignUp alone does not).
        await this.cognito.send(
          new AdminUpdateUserAttributesCommand({
            ...user,
            UserAttributes: [
              { Name: 'email', Value: dto.email },
              { Name: 'email_verified', Value: 'true' },
            ],
          }),
        );
      }
    } catch (err) {
      if ((err as { name?: string }).name === 'InvalidPasswordException') {
        throw new AppError('validation_failed', 'Request is invalid', [
          { field: 'password', message: 'password is too weak' },
        ]);
      }
      if (!isTaken(err)) translate(err, { UserLambdaValidationException: 'upstream_unavailable' });
    }
    return { confirmationRequired: !this.config.AUTH_AUTO_CONFIRM };
  }

  async confirm(dto: ConfirmDto): Promise<void> {
    try {
      await this.cognito.send(
        new ConfirmSignUpCommand({
          ClientId: this.clientId,
          Username: dto.email,
          ConfirmationCode: dto.code,
        }),
      );
    } catch (err) {
      translate(err, { UserNotFoundException: 'invalid_code', NotAuthorizedException: 'invalid_code' });
    }
  }

  async login(dto: LoginDto): Promise<TokensView> {
    return this.initiate('USER_PASSWORD_AUTH', { USERNAME: dto.email, PASSWORD: dto.password });
  }

  async refresh(refreshToken: string): Promise<TokensView> {
    return this.initiate('REFRESH_TOKEN_AUTH', { REFRESH_TOKEN: refreshToken });
  }

  /**
   * Revokes the refresh token at Cognito, and the access tokens issued from it here: we verify those
   * locally, so Cognito revoking them would go unnoticed until they expire. Cognito's refresh token
   * is opaque; one refresh tells which session (`origin_jti`) it belongs to and until when that
   * session's access tokens live.
   */
  async logout(refreshToken: string): Promise<void> {
    const session = await this.sessionOf(refreshToken);
    try {
      await this.cognito.send(new RevokeTokenCommand({ ClientId: this.clientId, Token: refreshToken }));
    } catch (err) {
      translate(err, {
        NotAuthorizedException: 'invalid_credentials',
        UnsupportedTokenTypeException: 'invalid_credentials',
      });
    }
    if (session) await this.revoked.revoke(session.id, session.expiresAtMs);
  }

  /** Undefined when the refresh fails (e.g. a revoked token): RevokeToken then gives the answer. */
  private async sessionOf(refreshToken: string): Promise<{ id: string; expiresAtMs: number } | undefined> {
    const token = await this.refresh(refreshToken).then(
      (tokens) => tokens.accessToken,
      () => undefined,
    );
    if (!token) return undefined;
    // Straight from Cognito, so only read: the gateway's verifier checks what clients present.
    const claims = decodeJwt(token);
    const id = sessionOf(claims);
    // The session's newest access token: none issued before this refresh outlives it.
    return id && claims.exp ? { id, expiresAtMs: (claims.exp + CLOCK_TOLERANCE_SECONDS) * 1000 } : undefined;
  }

  /** Always 202: whether the email exists is not the caller's business. */
  async forgotPassword(email: string): Promise<void> {
    try {
      await this.cognito.send(new ForgotPasswordCommand({ ClientId: this.clientId, Username: email }));
    } catch (err) {
      const name = (err as { name?: string }).name;
      if (
        name !== 'UserNotFoundException' &&
        name !== 'InvalidParameterException' &&
        name !== 'NotAuthorizedException'
      )
        translate(err);
    }
  }

  async resetPassword(dto: ResetPasswordDto): Promise<void> {
    try {
      await this.cognito.send(
        new ConfirmForgotPasswordCommand({
          ClientId: this.clientId,
          Username: dto.email,
          ConfirmationCode: dto.code,
          Password: dto.newPassword,
        }),
      );
    } catch (err) {
      translate(err, {
        UserNotFoundException: 'invalid_code',
        NotAuthorizedException: 'invalid_code',
        InvalidPasswordException: 'validation_failed',
      });
    }
  }

  private async initiate(
    flow: 'USER_PASSWORD_AUTH' | 'REFRESH_TOKEN_AUTH',
    params: Record<string, string>,
  ): Promise<TokensView> {
    try {
      const out = await this.cognito.send(
        new InitiateAuthCommand({ ClientId: this.clientId, AuthFlow: flow, AuthParameters: params }),
      );
      return tokensView(out.AuthenticationResult);
    } catch (err) {
      if (LOGIN_FAILURES.has((err as { name?: string }).name ?? ''))
        throw new AppError('invalid_credentials');
      translate(err);
    }
  }
}
