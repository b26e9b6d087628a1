import { CognitoIdentityProviderClient, GetUserCommand } from '@aws-sdk/client-cognito-identity-provider';
import { Injectable } from '@nestjs/common';
import { AppError } from '@paychat/errors';

export interface IdentityProfile {
  email: string;
  name: string;
}

/** Reads a new user's email and name from Cognito with their own access token (no admin rights needed). */
@Injectable()
export class CognitoProfile {
  constructor(private readonly cognito: CognitoIdentityProviderClient) {}

  async read(accessToken: string): Promise<IdentityProfile> {
    try {
      const out = await this.cognito.send(new GetUserCommand({ AccessToken: accessToken }));
      const attr = (name: string) => out.UserAttributes?.find((a) => a.Name === name)?.Value;
      const email = attr('email') ?? '';
      return { email, name: (attr('name') ?? email.split('@')[0] ?? 'paychat user').slice(0, 50) };
    } catch (err) {
      if ((err as { name?: string }).name === 'NotAuthorizedException') throw new AppError('unauthorized');
      throw err;
    }
  }
}
