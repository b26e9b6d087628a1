export * from './bootstrap';
export * from './core.module';
export * from './logging';
export * from './public.decorator';
export * from './readiness';
export * from './request-id';
export * from './validation';
export * from './tokens';
