export * from './auth-user';
export * from './auth.guard';
export * from './auth.module';
export * from './cognito.env';
export * from './decorators';
export * from './token-verifier';
export * from './cognito-client';
export * from './revoked-sessions';
