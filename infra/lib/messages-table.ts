import { RemovalPolicy } from 'aws-cdk-lib';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as iam from 'aws-cdk-lib/aws-iam';
import { Construct } from 'constructs';

export const MESSAGES_TABLE_NAME = 'paychat-messages';
export const INBOX_INDEX = 'GSI1';

/**
 * The messages service's single table (apps/messages/src/db/keys.ts): PK/SK, plus GSI1 (keys only) for
 * the inbox ordered by latest activity. The same shape `scripts/migrate` creates in DynamoDB Local.
 */
export class MessagesTable extends Construct {
  readonly table: dynamodb.Table;

  constructor(scope: Construct, id: string) {
    super(scope, id);
    const S = dynamodb.AttributeType.STRING;
    this.table = new dynamodb.Table(this, 'Table', {
      tableName: MESSAGES_TABLE_NAME,
      partitionKey: { name: 'PK', type: S },
      sortKey: { name: 'SK', type: S },
      billingMode: dynamodb.BillingMode.PAY_PER_REQUEST,
      pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true },
      encryption: dynamodb.TableEncryption.AWS_MANAGED,
      deletionProtection: true,
      removalPolicy: RemovalPolicy.RETAIN,
    });
    this.table.addGlobalSecondaryIndex({
      indexName: INBOX_INDEX,
      partitionKey: { name: 'GSI1PK', type: S },
      sortKey: { name: 'GSI1SK', type: S },
      projectionType: dynamodb.ProjectionType.KEYS_ONLY,
    });
  }

  /**
   * Exactly what the messages service does: item reads and writes (TransactWriteItems is authorized
   * through the item actions it contains), queries on the table and the inbox index, DescribeTable for
   * readiness. No Scan, no table management, nothing on any other table.
   */
  grantMessagesService(grantee: iam.IGrantable): void {
    grantee.grantPrincipal.addToPrincipalPolicy(
      new iam.PolicyStatement({
        actions: [
          'dynamodb:GetItem',
          'dynamodb:BatchGetItem',
          'dynamodb:Query',
          'dynamodb:PutItem',
          'dynamodb:UpdateItem',
          'dynamodb:DeleteItem',
          'dynamodb:BatchWriteItem',
          'dynamodb:ConditionCheckItem',
          'dynamodb:DescribeTable',
        ],
        resources: [this.table.tableArn],
      }),
    );
    grantee.grantPrincipal.addToPrincipalPolicy(
      new iam.PolicyStatement({
        actions: ['dynamodb:Query'],
        resources: [`${this.table.tableArn}/index/${INBOX_INDEX}`],
      }),
    );
  }
}
