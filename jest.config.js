/** Jest runs TypeScript through SWC (Nest 12 is ESM-only, so its packages are transformed too). */
const swc = JSON.parse(require('node:fs').readFileSync(`${__dirname}/.swcrc`, 'utf8'));
delete swc.jsc.baseUrl;
delete swc.jsc.paths;

/** @type {import('jest').Config} */
module.exports = {
  rootDir: __dirname,
  testEnvironment: 'node',
  roots: ['<rootDir>/apps', '<rootDir>/libs', '<rootDir>/lambdas', '<rootDir>/test', '<rootDir>/infra'],
  testRegex: '\\.(spec|e2e-spec)\\.ts$',
  transform: { '^.+\\.(t|j)sx?$': ['@swc/jest', { ...swc, swcrc: false }] },
  transformIgnorePatterns: [
    // Judged at the innermost node_modules/, so a nested ESM-only dependency is transformed too.
    '/node_modules/(?!(?:.*/)?node_modules/)(?!(@nestjs|file-type|strtok3|token-types|peek-readable|uint8array-extras|@tokenizer|jose|content-disposition)/)',
  ],
  moduleNameMapper: { '^@paychat/(.*)$': '<rootDir>/libs/$1/src' },
  globalSetup: '<rootDir>/test/global-setup.ts',
  globalTeardown: '<rootDir>/test/global-teardown.ts',
  testTimeout: 30000,
};
