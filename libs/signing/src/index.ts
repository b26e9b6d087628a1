export * from './internal.guard';
export * from './signature';
