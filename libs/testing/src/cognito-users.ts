import { randomUUID } from 'node:crypto';
import {
  CognitoIdentityProviderClient,
  InitiateAuthCommand,
} from '@aws-sdk/client-cognito-identity-provider';
import { loadConfig } from '@paychat/config';
import { CognitoEnv } from '@paychat/auth';
import { putLocalUser } from './local-seed';

export interface TestUser {
  email: string;
  password: string;
  name: string;
}

export interface Tokens {
  accessToken: string;
  idToken: string;
  refreshToken: string;
}

function cognito() {
  const config = loadConfig(CognitoEnv);
  const client = new CognitoIdentityProviderClient({
    region: config.COGNITO_REGION,
    endpoint: config.COGNITO_ENDPOINT,
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
  });
  return { client, config };
}

/** A fresh confirmed user in the test pool (a new one per test keeps tests independent). */
export async function createTestUser(opts: { groups?: string[]; name?: string } = {}): Promise<TestUser> {
  const { client, config } = cognito();
  const user = {
    email: `u-${randomUUID()}@test.paychat.local`,
    password: 'TestPass1!',
    name: opts.name ?? 'Test User',
  };
  try {
    await putLocalUser(client, config.COGNITO_USER_POOL_ID, { ...user, groups: opts.groups ?? [] });
  } finally {
    client.destroy();
  }
  return user;
}

/** Signs a test user in directly against Cognito (USER_PASSWORD_AUTH). */
export async function loginTestUser(user: Pick<TestUser, 'email' | 'password'>): Promise<Tokens> {
  const { client, config } = cognito();
  try {
    const out = await client.send(
      new InitiateAuthCommand({
        ClientId: config.COGNITO_CLIENT_ID,
        AuthFlow: 'USER_PASSWORD_AUTH',
        AuthParameters: { USERNAME: user.email, PASSWORD: user.password },
      }),
    );
    const r = out.AuthenticationResult!;
    return { accessToken: r.AccessToken!, idToken: r.IdToken!, refreshToken: r.RefreshToken! };
  } finally {
    client.destroy();
  }
}
