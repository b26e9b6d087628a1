export * from './app-error';
export * from './problem-codes';
export * from './problem.filter';
