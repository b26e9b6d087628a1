import { APP_NAMES } from '../lib/secrets';
import { logicalId, ofType, synth } from './synth';

type Statement = { Action: string | string[]; Resource: unknown };
type Ref = { 'Fn::GetAtt'?: [string, string]; Ref?: string };

const actions = (st: Statement) => [st.Action].flat();
const target = (ref: unknown) => (ref as Ref)['Fn::GetAtt']?.[0] ?? (ref as Ref).Ref ?? JSON.stringify(ref);

const XRAY_WRITE = ['xray:PutTelemetryRecords', 'xray:PutTraceSegments'];
const EMF_WRITE = ['logs:CreateLogStream', 'logs:DescribeLogStreams', 'logs:PutLogEvents'];
/** The task's telemetry collector: spans to X-Ray, metrics (EMF) to their log group. */
const isTelemetry = (st: Statement) =>
  [XRAY_WRITE, EMF_WRITE].some((set) => actions(st).sort().join() === set.join());
const ownStatements = (statements: Statement[] | undefined) =>
  (statements ?? []).filter((st) => !isTelemetry(st));

describe('least privilege: IAM and network paths', () => {
  let all: ReturnType<typeof synth>['all'];
  /** Policy statements per role logical id (inline AWS::IAM::Policy resources). */
  let byRole: Map<string, Statement[]>;
  const role = (prefix: string) => logicalId(all, 'AWS::IAM::Role', prefix);
  const sg = (prefix: string) => logicalId(all, 'AWS::EC2::SecurityGroup', prefix);

  beforeAll(() => {
    all = synth().all;
    byRole = new Map();
    for (const [, p] of ofType(all, 'AWS::IAM::Policy')) {
      for (const r of p.Roles as Ref[]) {
        const statements = (p.PolicyDocument as { Statement: Statement[] }).Statement;
        byRole.set(r.Ref!, [...(byRole.get(r.Ref!) ?? []), ...statements]);
      }
    }
    expect(ofType(all, 'AWS::IAM::ManagedPolicy')).toHaveLength(0);
  });

  it('scopes the messages task role’s DynamoDB access to its table and index', () => {
    const table = logicalId(all, 'AWS::DynamoDB::Table', 'MessagesTable');
    const statements = ownStatements(byRole.get(role('ServicesmessagesTaskTaskRole')));
    const dynamo = statements.filter((st) => actions(st).some((a) => a.startsWith('dynamodb:')));
    expect(statements).toHaveLength(dynamo.length);
    const resources = dynamo.map((st) => JSON.stringify(st.Resource));
    expect(resources).toEqual([
      JSON.stringify({ 'Fn::GetAtt': [table, 'Arn'] }),
      JSON.stringify({ 'Fn::Join': ['', [{ 'Fn::GetAtt': [table, 'Arn'] }, '/index/GSI1']] }),
    ]);
    const item = [
      'GetItem',
      'BatchGetItem',
      'Query',
      'PutItem',
      'UpdateItem',
      'DeleteItem',
      'BatchWriteItem',
    ];
    expect(actions(dynamo[0]).sort()).toEqual(
      [...item, 'ConditionCheckItem', 'DescribeTable'].map((a) => `dynamodb:${a}`).sort(),
    );
    expect(actions(dynamo[1])).toEqual(['dynamodb:Query']); // no Scan, no table management, anywhere
  });

  it('gives no DynamoDB permission to any other role (the wallet included)', () => {
    const messages = role('ServicesmessagesTaskTaskRole');
    for (const [roleId, statements] of byRole) {
      if (roleId === messages) continue;
      expect({
        roleId,
        dynamo: statements.flatMap(actions).filter((a) => a.startsWith('dynamodb:')),
      }).toEqual({
        roleId,
        dynamo: [],
      });
    }
  });

  it('grants no task permissions to the gateway and legacy tasks but their collector’s', () => {
    expect(ownStatements(byRole.get(role('ServicesgatewayTaskTaskRole')))).toEqual([]);
    expect(ownStatements(byRole.get(role('ServiceslegacyTaskTaskRole')))).toEqual([]);
  });

  it('lets each task’s collector write spans to X-Ray and metrics to their log group only', () => {
    const metricsLogs = logicalId(all, 'AWS::Logs::LogGroup', 'MetricsLogs');
    for (const app of APP_NAMES) {
      const telemetry = byRole.get(role(`Services${app}TaskTaskRole`))!.filter(isTelemetry);
      expect(telemetry.map((st) => actions(st).sort())).toEqual([XRAY_WRITE, EMF_WRITE]);
      const [xray, emf] = telemetry;
      expect(xray.Resource).toBe('*'); // X-Ray has no resource-level permissions for these
      const emfResources = [emf.Resource].flat();
      expect(emfResources.length).toBeGreaterThan(0);
      for (const resource of emfResources) expect(JSON.stringify(resource)).toContain(metricsLogs);
    }
  });

  it('lets each execution role read exactly the secrets its task is given', () => {
    const secretsRead = (prefix: string) =>
      byRole
        .get(role(prefix))!
        .filter((st) => actions(st).includes('secretsmanager:GetSecretValue'))
        .flatMap((st) => [st.Resource].flat().map(target))
        .sort();
    const secret = (prefix: string) => logicalId(all, 'AWS::SecretsManager::Secret', prefix);
    expect(secretsRead('ServicesgatewayTaskExecutionRole')).toEqual([
      secret('AppSecretsInternalSecretsgateway'),
    ]);
    expect(secretsRead('ServiceswalletTaskExecutionRole')).toEqual(
      [
        secret('DatabaseWalletDbUrl'),
        secret('AppSecretsBankAccountKey'),
        secret('AppSecretsInternalSecretswallet'),
      ].sort(),
    );
    expect(secretsRead('MigrateTaskExecutionRole')).toHaveLength(5);
  });

  it('opens only the intended network paths', () => {
    const sources = new Map<string, string[]>();
    for (const [, p] of ofType(all, 'AWS::EC2::SecurityGroupIngress')) {
      const to = target(p.GroupId);
      sources.set(to, [...(sources.get(to) ?? []), target(p.SourceSecurityGroupId)].sort());
    }
    const [alb, gateway, wallet, messages, legacy, migrate] = [
      'EdgeSecurityGroup',
      'ServicesgatewaySecurityGroup',
      'ServiceswalletSecurityGroup',
      'ServicesmessagesSecurityGroup',
      'ServiceslegacySecurityGroup',
      'MigrateSecurityGroup',
    ].map(sg);
    expect(sources.get(gateway)).toEqual([alb]);
    expect(sources.get(legacy)).toEqual([alb, gateway].sort());
    expect(sources.get(wallet)).toEqual([gateway, messages].sort());
    expect(sources.get(messages)).toEqual([gateway, wallet].sort());
    expect(sources.get(sg('DatabaseClusterSecurityGroup'))).toEqual([legacy, migrate, wallet].sort());
    // legacy: the gateway's logouts, so a logged-out admin token stops opening the old admin pages.
    expect(sources.get(sg('CacheSecurityGroup'))).toEqual([gateway, legacy, messages].sort());

    const albEgress = ofType(all, 'AWS::EC2::SecurityGroupEgress')
      .filter(([, p]) => target(p.GroupId) === alb)
      .map(([, p]) => [target(p.DestinationSecurityGroupId), p.FromPort]);
    expect(albEgress.sort()).toEqual(
      [
        [gateway, 3000],
        [legacy, 3000],
      ].sort(),
    );
  });
});
