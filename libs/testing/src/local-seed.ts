import {
  AdminAddUserToGroupCommand,
  AdminCreateUserCommand,
  AdminSetUserPasswordCommand,
  type CognitoIdentityProviderClient,
} from '@aws-sdk/client-cognito-identity-provider';

/**
 * What the local stack seeds and its tests rely on, shared by the dev runner, the migrations and
 * the tests. Imported by path from scripts/ (the jest global setup resolves no @paychat alias).
 */

/** Well-known demo merchant of the local stack (README walkthrough). */
export const DEMO_MERCHANT_ID = '01PAYCHATCAFE0000000000000';

export interface LocalUser {
  email: string;
  password: string;
  name: string;
  groups: string[];
}

/**
 * Puts a confirmed user with a permanent password (and its groups) into a local user pool;
 * idempotent, so the dev runner can seed on every start. Used by the dev runner's seeding and by the tests.
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
