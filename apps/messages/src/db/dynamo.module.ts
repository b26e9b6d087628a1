import { DescribeTableCommand, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { Global, Inject, Module, OnApplicationShutdown, OnModuleInit } from '@nestjs/common';
import { APP_CONFIG, Readiness } from '@paychat/platform';
import type { MessagesEnv } from '../messages.env';

/** One DynamoDB client per process (keep-alive pooled); DynamoDB Local gets dummy credentials. */
@Global()
@Module({
  providers: [
    {
      provide: DynamoDBClient,
      inject: [APP_CONFIG],
      useFactory: (config: MessagesEnv) =>
        new DynamoDBClient({
          region: config.AWS_REGION,
          ...(config.DYNAMODB_ENDPOINT
            ? {
                endpoint: config.DYNAMODB_ENDPOINT,
                credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
              }
            : {}),
        }),
    },
    {
      provide: DynamoDBDocumentClient,
      inject: [DynamoDBClient],
      useFactory: (client: DynamoDBClient) =>
        DynamoDBDocumentClient.from(client, { marshallOptions: { removeUndefinedValues: true } }),
    },
  ],
  exports: [DynamoDBClient, DynamoDBDocumentClient],
})
export class DynamoModule implements OnModuleInit, OnApplicationShutdown {
  constructor(
    @Inject(DynamoDBClient) private readonly client: DynamoDBClient,
    @Inject(APP_CONFIG) private readonly config: MessagesEnv,
    private readonly readiness: Readiness,
  ) {}

  /** Our own table (the task role may describe it and nothing else account-wide). */
  onModuleInit(): void {
    const check = new DescribeTableCommand({ TableName: this.config.MESSAGES_TABLE });
    this.readiness.register('dynamodb', () => this.client.send(check));
  }

  onApplicationShutdown(): void {
    this.client.destroy();
  }
}
