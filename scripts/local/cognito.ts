import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import {
  CognitoIdentityProviderClient,
  CreateGroupCommand,
  GetGroupCommand,
} from '@aws-sdk/client-cognito-identity-provider';
import { USER_POOL_AWS_DEFAULTS } from 'cognito-local/lib/services/cognitoService';
import { createHandler as createPreSignUp } from '../../lambdas/pre-sign-up/handler';
import { createHandler, type Settings } from '../../lambdas/user-migration/handler';
import { BaseEnv, loadConfig } from '../../libs/config/src';
import { ServiceKeys } from '../../libs/signing/src/keys';
import { type LocalUser, putLocalUser } from '../../libs/testing/src/local-seed';
import { startLocalLambdas, withCognitoSub } from './lambda-runtime';
import { assertPortFree } from './processes';

/** Fixed ids, so the apps' config defaults (libs/auth cognito.env.ts) match without passing ids around. */
export const LOCAL_REGION = 'ap-northeast-1';
export const LOCAL_USER_POOL_ID = `${LOCAL_REGION}_PaychatLocal`;
export const LOCAL_CLIENT_ID = 'paychatlocalappclient00001';

/** A user the local stack seeds (see scripts/dev.ts). */
export type DemoUser = LocalUser;

export interface LocalCognito {
  endpoint: string;
  userPoolId: string;
  clientId: string;
  stop(): Promise<void>;
}

/** The Lambda function names cognito-local invokes for its triggers. */
const USER_MIGRATION_FUNCTION = 'paychat-user-migration';
const PRE_SIGN_UP_FUNCTION = 'paychat-pre-sign-up';

/** The production handlers' settings: the local `user-migration>legacy` secret, the legacy app at `legacyUrl`. */
function localMigrationSettings(legacyUrl: string): Settings {
  // Read once: both triggers share it, and an invocation need not load the config again.
  const { secret } = ServiceKeys.parse(loadConfig(BaseEnv).INTERNAL_SECRETS, 'user-migration').signingKey(
    'legacy',
  );
  return { legacyUrl, secret: async () => secret, timeoutMs: 3000 };
}

/**
 * Starts cognito-local with state in `<dataDir>/.cognito/` (log: `<dataDir>/cognito-local.log`),
 * with our fixed pool and app client, then seeds the `admin` group and the demo users (idempotent).
 * With `legacyUrl`, cognito-local runs the user-migration trigger (through a local Lambda Invoke
 * endpoint) when someone signs in with an email it does not know, and the PreSignUp trigger — as
 * Cognito does in AWS. Sign-ups pass when no legacy app runs there (most tests start none).
 */
export async function startCognito(opts: {
  port: number;
  dataDir: string;
  users: DemoUser[];
  /** Where the user-migration trigger finds the legacy app; no trigger without it. */
  legacyUrl?: string;
}): Promise<LocalCognito> {
  await assertPortFree(opts.port, 'cognito-local');
  const dataDir = resolve(opts.dataDir);
  const endpoint = `http://127.0.0.1:${opts.port}`;
  const settings = opts.legacyUrl ? localMigrationSettings(opts.legacyUrl) : undefined;
  const lambdas = settings
    ? await startLocalLambdas({
        [USER_MIGRATION_FUNCTION]: withCognitoSub(createHandler(settings)),
        [PRE_SIGN_UP_FUNCTION]: createPreSignUp({ ...settings, allowWhenLegacyUnreachable: true }),
      })
    : undefined;
  writeState(join(dataDir, '.cognito'), endpoint, lambdas?.endpoint);

  // Loaded here, not on import: cognito-local's routes pull in ESM-only packages.
  const { serveCognitoLocal } = await import('./cognito-stand-in');
  const server = await serveCognitoLocal({
    port: opts.port,
    dir: join(dataDir, '.cognito'),
    logFile: join(dataDir, 'cognito-local.log'),
  });
  const stop = async () => {
    await server.stop();
    await lambdas?.stop();
  };
  try {
    await seed(endpoint, opts.users);
  } catch (err) {
    await stop();
    throw err;
  }
  return { endpoint, userPoolId: LOCAL_USER_POOL_ID, clientId: LOCAL_CLIENT_ID, stop };
}

/**
 * cognito-local only makes random ids (CreateUserPool/CreateUserPoolClient), so we write its data
 * files ourselves, in its format: config.json, db/clients.json, db/<poolId>.json (Dates as ISO strings).
 */
function writeState(dir: string, endpoint: string, lambdaEndpoint?: string): void {
  mkdirSync(join(dir, 'db'), { recursive: true });
  const now = new Date().toISOString();

  // Issuer = endpoint + pool id: what the apps derive from COGNITO_ENDPOINT (also after a port change).
  const config = readJson(join(dir, 'config.json'), {});
  writeJson(join(dir, 'config.json'), {
    ...config,
    TokenConfig: { ...config.TokenConfig, IssuerDomain: endpoint },
    TriggerFunctions: lambdaEndpoint
      ? { UserMigration: USER_MIGRATION_FUNCTION, PreSignUp: PRE_SIGN_UP_FUNCTION }
      : {},
    LambdaClient: {
      credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
      region: LOCAL_REGION,
      ...(lambdaEndpoint ? { endpoint: lambdaEndpoint } : {}),
    },
  });

  const poolFile = join(dir, 'db', `${LOCAL_USER_POOL_ID}.json`);
  if (!existsSync(poolFile)) {
    writeJson(poolFile, {
      Users: {},
      Groups: {},
      // A pool file's Options are used as they are (no merge with defaults), hence the full set.
      Options: {
        ...USER_POOL_AWS_DEFAULTS,
        Id: LOCAL_USER_POOL_ID,
        Name: 'paychat-local',
        Arn: `arn:aws:cognito-idp:${LOCAL_REGION}:000000000000:userpool/${LOCAL_USER_POOL_ID}`,
        UsernameAttributes: ['email'], // sign in with the email, like the real pool; Username becomes the sub
        CreationDate: now,
        LastModifiedDate: now,
      },
    });
  }

  const clientsFile = join(dir, 'db', 'clients.json');
  const clients = readJson(clientsFile, { Clients: {} });
  clients.Clients ??= {};
  clients.Clients[LOCAL_CLIENT_ID] ??= {
    ClientId: LOCAL_CLIENT_ID,
    ClientName: 'paychat-local',
    UserPoolId: LOCAL_USER_POOL_ID,
    ExplicitAuthFlows: ['ALLOW_USER_PASSWORD_AUTH', 'ALLOW_REFRESH_TOKEN_AUTH'],
    // Real Cognito's defaults (cognito-local's would be 24 h), so token refresh gets exercised locally.
    AccessTokenValidity: 60,
    IdTokenValidity: 60,
    RefreshTokenValidity: 30,
    TokenValidityUnits: { AccessToken: 'minutes', IdToken: 'minutes', RefreshToken: 'days' },
    CreationDate: now,
    LastModifiedDate: now,
  };
  writeJson(clientsFile, clients);
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- cognito-local's own untyped JSON files
type Json = Record<string, any>;

function readJson(file: string, fallback: Json): Json {
  return existsSync(file) ? (JSON.parse(readFileSync(file, 'utf8')) as Json) : fallback;
}

function writeJson(file: string, value: Json): void {
  writeFileSync(file, JSON.stringify(value, null, 2) + '\n');
}

/** Seeds groups and users; "already exists" is fine (restarts), and passwords are reset to the configured ones. */
async function seed(endpoint: string, users: DemoUser[]): Promise<void> {
  const cognito = new CognitoIdentityProviderClient({
    endpoint,
    region: LOCAL_REGION,
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
  });
  const UserPoolId = LOCAL_USER_POOL_ID;
  try {
    for (const GroupName of new Set(['admin', ...users.flatMap((u) => u.groups)])) {
      // cognito-local's CreateGroup overwrites an existing group, members included: look first.
      const exists = await cognito.send(new GetGroupCommand({ UserPoolId, GroupName })).then(
        () => true,
        (err: Error) => (err.name === 'ResourceNotFoundException' ? false : Promise.reject(err)),
      );
      if (!exists) await cognito.send(new CreateGroupCommand({ UserPoolId, GroupName }));
    }
    for (const user of users) await putLocalUser(cognito, UserPoolId, user);
  } finally {
    cognito.destroy();
  }
}
