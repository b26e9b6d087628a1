export * from './internal.guard';
export * from './keys';
export * from './nonce-cache';
export * from './signature';
export * from './signed-client';
