import { SecretValue } from 'aws-cdk-lib';
import * as cognito from 'aws-cdk-lib/aws-cognito';
import { Construct } from 'constructs';
import { IdentityProvidersConfig } from './config';

/**
 * The federated identity providers named in context `paychat:identityProviders` (none by default).
 * Their users land in the same pool with email and name mapped, so the apps see one kind of token.
 */
export function addIdentityProviders(
  scope: Construct,
  userPool: cognito.IUserPool,
  config: IdentityProvidersConfig,
): cognito.IUserPoolIdentityProvider[] {
  const attributeMapping: cognito.AttributeMapping = {
    email: cognito.ProviderAttribute.other('email'),
    fullname: cognito.ProviderAttribute.other('name'),
  };
  const idps: cognito.IUserPoolIdentityProvider[] = [];
  if (config.google) {
    idps.push(
      new cognito.UserPoolIdentityProviderGoogle(scope, 'Google', {
        userPool,
        clientId: config.google.clientId,
        clientSecretValue: SecretValue.secretsManager(config.google.clientSecretName),
        scopes: ['openid', 'email', 'profile'],
        attributeMapping: {
          email: cognito.ProviderAttribute.GOOGLE_EMAIL,
          fullname: cognito.ProviderAttribute.GOOGLE_NAME,
        },
      }),
    );
  }
  if (config.apple) {
    idps.push(
      new cognito.UserPoolIdentityProviderApple(scope, 'Apple', {
        userPool,
        clientId: config.apple.servicesId,
        teamId: config.apple.teamId,
        keyId: config.apple.keyId,
        privateKeyValue: SecretValue.secretsManager(config.apple.privateKeySecretName),
        scopes: ['email', 'name'],
        attributeMapping: {
          email: cognito.ProviderAttribute.APPLE_EMAIL,
          fullname: cognito.ProviderAttribute.APPLE_NAME,
        },
      }),
    );
  }
  if (config.saml) {
    idps.push(
      new cognito.UserPoolIdentityProviderSaml(scope, 'Saml', {
        userPool,
        name: config.saml.name,
        metadata: cognito.UserPoolIdentityProviderSamlMetadata.url(config.saml.metadataUrl),
        attributeMapping,
      }),
    );
  }
  return idps;
}
