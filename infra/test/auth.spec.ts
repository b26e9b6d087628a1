import { Match } from 'aws-cdk-lib/assertions';
import { ofType, synth, Synthesized, SynthesizedApp } from './synth';

describe('auth: Cognito user pool and app client', () => {
  let app: SynthesizedApp;
  let s: Synthesized;
  beforeAll(() => {
    app = synth();
    s = app.platform;
  });

  it('signs in with email, auto-verifies it, and has an immutable custom:legacy_user_id', () => {
    s.template.hasResourceProperties('AWS::Cognito::UserPool', {
      UsernameAttributes: ['email'],
      AutoVerifiedAttributes: ['email'],
      DeletionProtection: 'ACTIVE',
      Schema: Match.arrayWith([
        Match.objectLike({ Name: 'legacy_user_id', AttributeDataType: 'String', Mutable: false }),
      ]),
    });
  });

  it('issues short-lived access tokens to a public client with USER_PASSWORD_AUTH and refresh', () => {
    const clients = ofType(s.resources, 'AWS::Cognito::UserPoolClient');
    expect(clients).toHaveLength(1);
    const [, client] = clients[0];
    expect(client).toMatchObject({
      GenerateSecret: false,
      AccessTokenValidity: 15,
      IdTokenValidity: 15,
      RefreshTokenValidity: 30 * 24 * 60,
      TokenValidityUnits: { AccessToken: 'minutes', IdToken: 'minutes', RefreshToken: 'minutes' },
      EnableTokenRevocation: true,
      PreventUserExistenceErrors: 'ENABLED',
      AllowedOAuthFlows: ['code'],
    });
    expect(client.ExplicitAuthFlows).toEqual(
      expect.arrayContaining(['ALLOW_USER_PASSWORD_AUTH', 'ALLOW_REFRESH_TOKEN_AUTH']),
    );
  });

  it('lets no app client write custom:legacy_user_id, while clients may read it', () => {
    for (const [, client] of ofType(s.resources, 'AWS::Cognito::UserPoolClient')) {
      expect(client.WriteAttributes).toBeDefined(); // unset would mean "every writable attribute"
      expect(client.WriteAttributes).not.toContain('custom:legacy_user_id');
      expect((client.WriteAttributes as string[]).every((a) => !a.startsWith('custom:'))).toBe(true);
      expect(client.ReadAttributes).toContain('custom:legacy_user_id');
    }
  });

  it('has the admin group and a hosted UI domain', () => {
    s.template.hasResourceProperties('AWS::Cognito::UserPoolGroup', { GroupName: 'admin' });
    s.template.resourceCountIs('AWS::Cognito::UserPoolDomain', 1);
  });

  it('has no federated providers and no migration trigger unless configured', () => {
    s.template.resourceCountIs('AWS::Cognito::UserPoolIdentityProvider', 0);
    s.template.hasResourceProperties('AWS::Cognito::UserPoolClient', {
      SupportedIdentityProviders: ['COGNITO'],
    });
    s.template.hasResourceProperties('AWS::Cognito::UserPool', { LambdaConfig: Match.absent() });
  });

  it('lets the wallet, and only the wallet, disable users and sign them out', () => {
    const cognitoStatements = ofType(app.all, 'AWS::IAM::Policy').flatMap(([id, p]) =>
      (
        p.PolicyDocument as { Statement: { Action: string | string[]; Resource: unknown }[] }
      ).Statement.filter((st) => [st.Action].flat().some((a) => a.startsWith('cognito-idp:'))).map((st) => ({
        id,
        ...st,
      })),
    );
    expect(cognitoStatements).toHaveLength(1);
    expect(cognitoStatements[0].id).toMatch(/^ServiceswalletTaskTaskRole/);
    expect([cognitoStatements[0].Action].flat().sort()).toEqual([
      'cognito-idp:AdminDisableUser',
      'cognito-idp:AdminUserGlobalSignOut',
    ]);
    expect(cognitoStatements[0].Resource).toEqual({
      'Fn::GetAtt': [expect.stringMatching(/^AuthUserPool/), 'Arn'],
    });
  });
});
