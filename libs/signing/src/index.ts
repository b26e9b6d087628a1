export * from './internal.guard';
export * from './signature';
export * from './signed-client';
