import { Fn, RemovalPolicy, SecretValue } from 'aws-cdk-lib';
import * as sm from 'aws-cdk-lib/aws-secretsmanager';
import { Construct } from 'constructs';

/** A random alphanumeric secret: safe inside URLs and `name:secret,…` lists without escaping. */
export function generatedSecret(scope: Construct, id: string, secretName: string, length = 40): sm.Secret {
  return new sm.Secret(scope, id, {
    secretName,
    generateSecretString: { passwordLength: length, excludePunctuation: true },
    removalPolicy: RemovalPolicy.RETAIN,
  });
}

/**
 * A secret whose value is assembled at deploy time from other secrets' values (CloudFormation dynamic
 * references, so no value ever appears in the template): the apps take whole strings such as
 * `WALLET_DB_URL`, and an ECS secret injects one value as it is. Caveat: the value is resolved when the
 * stack deploys, so after changing a part, deploy again (and restart the tasks).
 */
export function composedSecret(
  scope: Construct,
  id: string,
  secretName: string,
  parts: (string | SecretValue)[],
): sm.Secret {
  const value = Fn.join(
    '',
    parts.map((p) => (typeof p === 'string' ? p : p.unsafeUnwrap())),
  );
  return new sm.Secret(scope, id, {
    secretName,
    // Holds only dynamic references and non-secret text (hosts, names), never a value.
    secretStringValue: SecretValue.unsafePlainText(value),
    removalPolicy: RemovalPolicy.RETAIN,
  });
}

/** Who signs `/internal/*` calls: per service, the callers whose signatures it accepts. */
export const INTERNAL_CALLERS = {
  gateway: [],
  wallet: ['gateway', 'messages', 'atm-network'],
  messages: ['gateway', 'wallet'],
  // The user-migration trigger (a Lambda, not a service) checks credentials with the legacy app.
  legacy: ['gateway', 'user-migration'],
} as const satisfies Record<string, readonly string[]>;

export type AppName = keyof typeof INTERNAL_CALLERS;
export const APP_NAMES = Object.keys(INTERNAL_CALLERS) as AppName[];

/** Every caller→target pair (`caller>target`, the INTERNAL_SECRETS entry's name): one signing secret each. */
export const SIGNING_PAIRS = Object.entries(INTERNAL_CALLERS).flatMap(([target, callers]) =>
  callers.map((caller) => `${caller}>${target}`),
);

/**
 * The apps' own secrets. One generated secret per caller→target pair, and per service an
 * `INTERNAL_SECRETS` value holding only the pairs it is one end of: a compromised task can sign as
 * itself to its own targets and as nobody else. Two pairs are not a service's: `atm-network>wallet`
 * is the ATM partner's (hand its value over out of band), `user-migration>legacy` the Lambda's.
 */
export class AppSecrets extends Construct {
  /** Per service, its `INTERNAL_SECRETS` value. */
  readonly internalSecrets: Record<AppName, sm.ISecret>;
  /** The wallet's master key for bank account numbers: base64 of 32 bytes (KMS later). */
  readonly bankAccountKey: sm.ISecret;
  /** The user-migration Lambda's signing secret: the `user-migration>legacy` pair's. */
  readonly userMigrationSigning: sm.ISecret;

  constructor(scope: Construct, id: string) {
    super(scope, id);
    const signing = new Map(
      SIGNING_PAIRS.map((pair) => {
        const [caller, target] = pair.split('>');
        const name = `paychat/internal/${caller}-to-${target}`;
        return [pair, generatedSecret(this, `Signing-${caller}-to-${target}`, name)];
      }),
    );
    const perService = (app: AppName) => {
      const parts = [...signing]
        .filter(([pair]) => pair.split('>').includes(app))
        .flatMap(([pair, secret], i) => [...(i ? [','] : []), `${pair}:`, secret.secretValue]);
      return composedSecret(this, `InternalSecrets-${app}`, `paychat/${app}/internal-secrets`, parts);
    };
    this.userMigrationSigning = signing.get('user-migration>legacy')!;
    this.internalSecrets = {
      gateway: perService('gateway'),
      wallet: perService('wallet'),
      messages: perService('messages'),
      legacy: perService('legacy'),
    };

    // 43 base64-alphabet characters + '=' decode to 32 bytes (the app's format check: /^[A-Za-z0-9+/]{43}=$/).
    const material = generatedSecret(this, 'BankKeyMaterial', 'paychat/wallet/bank-account-key-material', 43);
    this.bankAccountKey = composedSecret(this, 'BankAccountKey', 'paychat/wallet/bank-account-key', [
      material.secretValue,
      '=',
    ]);
  }
}
