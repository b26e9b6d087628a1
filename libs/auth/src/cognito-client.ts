import { CognitoIdentityProviderClient } from '@aws-sdk/client-cognito-identity-provider';
import type { Provider } from '@nestjs/common';
import type { CognitoEnv } from './cognito.env';
import { APP_CONFIG } from '@paychat/platform';

/** One SDK client per process; a stand-in endpoint (cognito-local) gets dummy credentials. */
export const cognitoClientProvider: Provider = {
  provide: CognitoIdentityProviderClient,
  inject: [APP_CONFIG],
  useFactory: (config: CognitoEnv) =>
    new CognitoIdentityProviderClient({
      region: config.COGNITO_REGION,
      ...(config.COGNITO_ENDPOINT
        ? {
            endpoint: config.COGNITO_ENDPOINT,
            credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
          }
        : {}),
      // A Cognito that does not answer fails a sign-in in seconds (a 503), instead of holding it open.
      maxAttempts: 2,
      requestHandler: { connectionTimeout: 1_000, requestTimeout: 3_000, throwOnRequestTimeout: true },
    }),
};
