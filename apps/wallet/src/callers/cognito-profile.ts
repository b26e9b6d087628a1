import { CognitoIdentityProviderClient, GetUserCommand } from '@aws-sdk/client-cognito-identity-provider';
import { Injectable } from '@nestjs/common';
import { AppError } from '@paychat/errors';

export interface IdentityProfile {
  /** Empty unless Cognito says the user proved it (`email_verified`). */
  email: string;
  name: string;
  /** Set by the user-migration trigger for users who came from the legacy app (no client may write it). */
  legacyUserId?: number;
}

export const LEGACY_ID_ATTRIBUTE = 'custom:legacy_user_id';

/** Reads a new user's verified email and name from Cognito with their own access token (no admin rights needed). */
@Injectable()
export class CognitoProfile {
  constructor(private readonly cognito: CognitoIdentityProviderClient) {}

  async read(accessToken: string): Promise<IdentityProfile> {
    try {
      const out = await this.cognito.send(new GetUserCommand({ AccessToken: accessToken }));
      const attr = (name: string) => out.UserAttributes?.find((a) => a.Name === name)?.Value;
      // An unverified email is only a claim (anyone can type anyone's): stored as none.
      const email = attr('email_verified') === 'true' ? (attr('email') ?? '') : '';
      const legacy = Number(attr(LEGACY_ID_ATTRIBUTE));
      return {
        email,
        name: (attr('name') || email.split('@')[0] || 'paychat user').slice(0, 50),
        ...(Number.isSafeInteger(legacy) && legacy > 0 ? { legacyUserId: legacy } : {}),
      };
    } catch (err) {
      if ((err as { name?: string }).name === 'NotAuthorizedException') throw new AppError('unauthorized');
      throw err;
    }
  }
}
