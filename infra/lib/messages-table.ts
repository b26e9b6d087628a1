import { RemovalPolicy } from 'aws-cdk-lib';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as iam from 'aws-cdk-lib/aws-iam';
import { Construct } from 'constructs';
import { INBOX_INDEX, TABLE_KEYS } from '../../apps/messages/src/db/table-schema';

export const MESSAGES_TABLE_NAME = 'paychat-messages';

/**
 * The messages service's single table, with the keys the service defines (table-schema.ts): PK/SK, plus
 * GSI1 (keys only) for the inbox ordered by latest activity; data.spec checks it against the local table.
 */
export class MessagesTable extends Construct {
  readonly table: dynamodb.Table;

  constructor(scope: Construct, id: string) {
    super(scope, id);
    const S = dynamodb.AttributeType.STRING;
    const { partitionKey, sortKey, index } = TABLE_KEYS;
    this.table = new dynamodb.Table(this, 'Table', {
      tableName: MESSAGES_TABLE_NAME,
      partitionKey: { name: partitionKey, type: S },
      sortKey: { name: sortKey, type: S },
      billingMode: dynamodb.BillingMode.PAY_PER_REQUEST,
      pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true },
      encryption: dynamodb.TableEncryption.AWS_MANAGED,
      deletionProtection: true,
      removalPolicy: RemovalPolicy.RETAIN,
    });
    this.table.addGlobalSecondaryIndex({
      indexName: index.name,
      partitionKey: { name: index.partitionKey, type: S },
      sortKey: { name: index.sortKey, type: S },
      projectionType: dynamodb.ProjectionType[index.projection],
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
