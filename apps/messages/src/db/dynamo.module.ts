import { DescribeTableCommand, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { Global, Inject, Module, OnApplicationShutdown, OnModuleInit } from '@nestjs/common';
import { asDependencyFailure } from '@paychat/errors';
import { APP_CONFIG, Readiness } from '@paychat/platform';
import type { MessagesEnv } from '../messages.env';

/**
 * DynamoDB answers in milliseconds; one that does not answer fails a request (a long-poll too) in
 * a few seconds, as a 503: at most two attempts, each given a second to connect and three to finish.
 */
const TIMEOUTS = {
  maxAttempts: 2,
  requestHandler: { connectionTimeout: 1_000, requestTimeout: 3_000, throwOnRequestTimeout: true },
};

function createClient(config: MessagesEnv): DynamoDBClient {
  const client = new DynamoDBClient({
    region: config.AWS_REGION,
    ...TIMEOUTS,
    ...(config.DYNAMODB_ENDPOINT
      ? {
          endpoint: config.DYNAMODB_ENDPOINT,
          credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
        }
      : {}),
  });
  // Outermost, so after the SDK's retries: an unreachable DynamoDB is named as such in the 503's log line.
  client.middlewareStack.add(
    (next) => async (args) => {
      try {
        return await next(args);
      } catch (err) {
        throw asDependencyFailure('dynamodb', err);
      }
    },
    { step: 'initialize', name: 'namedDependencyFailure' },
  );
  return client;
}

/** One DynamoDB client per process (keep-alive pooled); DynamoDB Local gets dummy credentials. */
@Global()
@Module({
  providers: [
    { provide: DynamoDBClient, inject: [APP_CONFIG], useFactory: createClient },
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
