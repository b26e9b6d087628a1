import { randomUUID } from 'node:crypto';
import {
  AdminAddUserToGroupCommand,
  AdminCreateUserCommand,
  AdminSetUserPasswordCommand,
  CognitoIdentityProviderClient,
  InitiateAuthCommand,
} from '@aws-sdk/client-cognito-identity-provider';
import { loadConfig } from '@paychat/config';
import { CognitoEnv } from '@paychat/auth';

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

export interface LocalUser {
  email: string;
  password: string;
  name: string;
  groups: string[];
}

/**
 * Puts a confirmed user with a permanent password (and its groups) into a local user pool;
 * idempotent, so the dev runner can seed on every start. Used by tests and scripts/local/cognito.ts.
 */
export async function putLocalUser(
  client: CognitoIdentityProviderClient,
  UserPoolId: string,
  user: LocalUser,
): Promise<void> {
  const Username = user.email;
  try {
    await client.send(
      new AdminCreateUserCommand({
        UserPoolId,
        Username,
        MessageAction: 'SUPPRESS',
        UserAttributes: [
          { Name: 'email', Value: user.email },
          { Name: 'email_verified', Value: 'true' },
          { Name: 'name', Value: user.name },
        ],
      }),
    );
  } catch (err) {
    if ((err as Error).name !== 'UsernameExistsException') throw err;
  }
  await client.send(
    new AdminSetUserPasswordCommand({ UserPoolId, Username, Password: user.password, Permanent: true }),
  );
  for (const GroupName of user.groups)
    await client.send(new AdminAddUserToGroupCommand({ UserPoolId, Username, GroupName }));
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
