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
      maxAttempts: 2,
    }),
};
