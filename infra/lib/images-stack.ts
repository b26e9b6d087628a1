import { CfnParameter, Duration, RemovalPolicy, Stack, StackProps } from 'aws-cdk-lib';
import * as ecr from 'aws-cdk-lib/aws-ecr';
import { Construct } from 'constructs';
import { APP_NAMES } from './secrets';

export const repositoryName = (app: string) => `paychat/${app}`;

/** The `ImageTag` parameter: which pushed build (CI tags images with the git commit) a stack deploys. */
export function imageTagParameter(scope: Construct, what: string): string {
  return new CfnParameter(scope, 'ImageTag', {
    description: `Tag of the app images in ECR that ${what}`,
    allowedPattern: '^[A-Za-z0-9_.-]{1,128}$',
  }).valueAsString;
}

/**
 * One ECR repository per app, in its own stack: deployed once, before the first image is pushed, so the
 * main stack's services never point at a repository without images. Tags are immutable (CI tags with the
 * git commit), every push is scanned, and old images expire.
 */
export class PaychatImagesStack extends Stack {
  constructor(scope: Construct, id: string, props?: StackProps) {
    super(scope, id, props);
    for (const app of APP_NAMES) {
      new ecr.Repository(this, app, {
        repositoryName: repositoryName(app),
        imageTagMutability: ecr.TagMutability.IMMUTABLE,
        imageScanOnPush: true,
        removalPolicy: RemovalPolicy.RETAIN,
        lifecycleRules: [
          {
            description: 'untagged layers',
            tagStatus: ecr.TagStatus.UNTAGGED,
            maxImageAge: Duration.days(7),
          },
          { description: 'keep the last 100 releases', maxImageCount: 100 },
        ],
      });
    }
  }
}
