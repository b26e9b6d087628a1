import { App } from 'aws-cdk-lib';
import { readConfig } from '../lib/config';
import { PaychatImagesStack } from '../lib/images-stack';
import { PaychatPlatformStack } from '../lib/platform-stack';
import { PaychatServicesStack } from '../lib/services-stack';

/** `cd infra && cdk synth` (after `npm run build`): the CLI runs the compiled copy in dist/infra. */
const app = new App();
// The CLI sets CDK_DEFAULT_ACCOUNT from the caller's credentials; offline, context paychat:account stands in.
// eslint-disable-next-line no-restricted-syntax -- the CDK CLI's own handover, not app configuration
const config = readConfig(app.node, process.env.CDK_DEFAULT_ACCOUNT);
const env = { account: config.account, region: config.region };
new PaychatImagesStack(app, 'PaychatImages', { env });
const platform = new PaychatPlatformStack(app, 'PaychatPlatform', { env, config });
new PaychatServicesStack(app, 'PaychatServices', { env, platform, config });
