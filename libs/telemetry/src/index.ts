// Nothing here may load Nest or an instrumented module: instrument.ts imports this before the app.
export * from './metrics';
export * from './trace-context';
export * from './tracing';
