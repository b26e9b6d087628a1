import { Aws, Duration, RemovalPolicy } from 'aws-cdk-lib';
import * as cognito from 'aws-cdk-lib/aws-cognito';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as sm from 'aws-cdk-lib/aws-secretsmanager';
import { Construct } from 'constructs';
import { PaychatConfig } from './config';
import { addIdentityProviders } from './identity-providers';

export interface AuthProps {
  config: PaychatConfig;
  vpc: ec2.IVpc;
  /** Where the user-migration trigger reaches the legacy app (Cloud Map name). */
  legacyUrl: string;
  /** The trigger's signing secret for the legacy app's internal routes. */
  userMigrationSecret: sm.ISecret;
}

/**
 * The Cognito user pool and the apps' public client. Access and ID tokens live 15 minutes because a
 * revoked or disabled user's token still verifies until it expires (the apps also check status, ≤ 30 s).
 * `custom:legacy_user_id` ties a migrated user to their legacy account: readable by clients, writable by
 * none (only the user-migration trigger sets it), so nobody can claim someone else's imported balance.
 */
export class Auth extends Construct {
  readonly userPool: cognito.UserPool;
  readonly client: cognito.UserPoolClient;
  readonly userMigration?: lambda.Function;
  readonly preSignUp?: lambda.Function;

  constructor(scope: Construct, id: string, { config, vpc, legacyUrl, userMigrationSecret }: AuthProps) {
    super(scope, id);
    // Both triggers ask the legacy app, signing as `user-migration` (the one caller it lets in).
    const legacyTrigger = (id: string, handlerDir: string) => {
      const fn = new lambda.Function(this, id, {
        runtime: lambda.Runtime.NODEJS_22_X,
        // The build output (dist/): the handler imports the signing code by path, no framework.
        handler: `lambdas/${kebab(id)}/handler.handler`,
        code: lambda.Code.fromAsset(handlerDir),
        timeout: Duration.seconds(5), // Cognito gives a trigger 5 s
        vpc, // in the VPC: it asks the legacy app by its Cloud Map name
        vpcSubnets: { subnetType: ec2.SubnetType.PRIVATE_WITH_EGRESS },
        environment: {
          LEGACY_URL: legacyUrl,
          LEGACY_TIMEOUT_MS: '3000',
          // Read at cold start through the AWS Parameters and Secrets extension (no SDK in the bundle).
          USER_MIGRATION_SECRET_ARN: userMigrationSecret.secretArn,
        },
        paramsAndSecrets: lambda.ParamsAndSecretsLayerVersion.fromVersion(
          lambda.ParamsAndSecretsVersions.V1_0_103,
        ),
      });
      userMigrationSecret.grantRead(fn);
      return fn;
    };
    const handlerDir = config.userMigrationHandlerDir;
    this.userMigration = handlerDir ? legacyTrigger('UserMigration', handlerDir) : undefined;
    // A sign-up with a legacy user's email would block that user's migration for good: refused.
    this.preSignUp = handlerDir ? legacyTrigger('PreSignUp', handlerDir) : undefined;

    this.userPool = new cognito.UserPool(this, 'UserPool', {
      userPoolName: 'paychat',
      featurePlan: cognito.FeaturePlan.ESSENTIALS,
      selfSignUpEnabled: true,
      signInAliases: { email: true },
      autoVerify: { email: true },
      standardAttributes: {
        email: { required: true, mutable: true },
        fullname: { required: false, mutable: true },
      },
      customAttributes: {
        legacy_user_id: new cognito.StringAttribute({ minLen: 1, maxLen: 64, mutable: false }),
      },
      passwordPolicy: { minLength: 10, requireLowercase: true, requireUppercase: true, requireDigits: true },
      accountRecovery: cognito.AccountRecovery.EMAIL_ONLY,
      lambdaTriggers:
        this.userMigration && this.preSignUp
          ? { userMigration: this.userMigration, preSignUp: this.preSignUp }
          : undefined,
      deletionProtection: true,
      removalPolicy: RemovalPolicy.RETAIN,
    });
    this.userPool.addGroup('AdminGroup', {
      groupName: 'admin',
      description: 'paychat operators: /admin/v2/*',
    });
    this.userPool.addDomain('Domain', {
      cognitoDomain: { domainPrefix: config.authDomainPrefix ?? `paychat-${Aws.ACCOUNT_ID}` },
    });

    const idps = addIdentityProviders(this, this.userPool, config.identityProviders);
    const standard = { email: true, fullname: true };
    this.client = this.userPool.addClient('AppClient', {
      userPoolClientName: 'paychat-app',
      generateSecret: false, // a public client: mobile apps cannot keep a secret
      authFlows: { userPassword: true, userSrp: true }, // + refresh; USER_PASSWORD_AUTH for user migration
      accessTokenValidity: Duration.minutes(15),
      idTokenValidity: Duration.minutes(15),
      refreshTokenValidity: Duration.days(30),
      enableTokenRevocation: true,
      preventUserExistenceErrors: true,
      readAttributes: new cognito.ClientAttributes()
        .withStandardAttributes({ ...standard, emailVerified: true })
        .withCustomAttributes('legacy_user_id'),
      writeAttributes: new cognito.ClientAttributes().withStandardAttributes(standard),
      supportedIdentityProviders: [
        cognito.UserPoolClientIdentityProvider.COGNITO,
        ...idps.map((idp) => cognito.UserPoolClientIdentityProvider.custom(idp.providerName)),
      ],
      oAuth: {
        flows: { authorizationCodeGrant: true },
        scopes: [cognito.OAuthScope.OPENID, cognito.OAuthScope.EMAIL, cognito.OAuthScope.PROFILE],
        callbackUrls: config.callbackUrls,
        logoutUrls: config.logoutUrls,
      },
    });
    for (const idp of idps) this.client.node.addDependency(idp);
  }
}

/** `UserMigration` → `user-migration`: the construct id names the handler's folder under lambdas/. */
const kebab = (id: string) => id.replace(/(?<=.)([A-Z])/g, '-$1').toLowerCase();
