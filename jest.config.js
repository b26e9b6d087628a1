/** Jest runs TypeScript through SWC (Nest 12 is ESM-only, so its packages are transformed too). */
const swc = JSON.parse(require('node:fs').readFileSync(`${__dirname}/.swcrc`, 'utf8'));
delete swc.jsc.baseUrl;
delete swc.jsc.paths;

const shared = {
  rootDir: __dirname,
  testEnvironment: 'node',
  transform: { '^.+\\.(t|j)sx?$': ['@swc/jest', { ...swc, swcrc: false }] },
  transformIgnorePatterns: [
    // Judged at the innermost node_modules/, so a nested ESM-only dependency is transformed too.
    '/node_modules/(?!(?:.*/)?node_modules/)(?!(@nestjs|file-type|strtok3|token-types|peek-readable|uint8array-extras|@tokenizer|jose|content-disposition)/)',
  ],
  moduleNameMapper: { '^@paychat/(.*)$': '<rootDir>/libs/$1/src' },
};

/**
 * Three tiers, by what a test touches:
 * - unit (`*.spec.ts`): no I/O at all — use-cases with their ports mocked, pure functions, CDK synth;
 * - integration (`*.int-spec.ts`, beside the code): apps in-process against the real stores;
 * - stack (`test/**\/*.e2e-spec.ts`): the whole stack through the gateway, built apps as processes.
 * The last two share the stores the global setup starts: one set per Jest worker, so files run in
 * parallel (`npm test` picks the worker count).
 * @type {import('jest').Config}
 */
module.exports = {
  testTimeout: 30000,
  projects: [
    {
      ...shared,
      displayName: 'unit',
      roots: ['<rootDir>/apps', '<rootDir>/libs', '<rootDir>/lambdas', '<rootDir>/infra'],
      testRegex: '(?<!\\.int-spec|\\.e2e-spec)(?<=\\.spec)\\.ts$',
    },
    {
      ...shared,
      displayName: 'stores',
      roots: ['<rootDir>/apps', '<rootDir>/libs', '<rootDir>/test'],
      testRegex: '\\.(int|e2e)-spec\\.ts$',
      globalSetup: '<rootDir>/test/global-setup.ts',
      globalTeardown: '<rootDir>/test/global-teardown.ts',
      setupFiles: ['<rootDir>/test/worker-env.ts'],
    },
  ],
};
