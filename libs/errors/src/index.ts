export * from './app-error';
export * from './dependency-errors';
export * from './problem-codes';
export * from './problem.filter';
export * from './failure-reason';
