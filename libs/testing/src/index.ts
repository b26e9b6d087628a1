export * from './cognito-users';
export * from './http';
export * from './local-seed';
export * from './mint-token';
export * from './faulty-link';
export * from './retry-later';
export * from './otlp-receiver';
