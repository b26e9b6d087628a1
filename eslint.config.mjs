import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import prettier from 'eslint-config-prettier';

/**
 * The import boundaries: apps are deployed alone, so none imports another (tests included); libs
 * sit below apps and scripts; scripts, bench, test and infra drive the apps and may import them.
 * Patterns match the path as written, so relative climbs (`../../../wallet/src/…`) count too.
 */
const APPS = ['gateway', 'legacy', 'messages', 'wallet'];
const SCRIPTS = {
  regex: '^(\\.\\./)*scripts(/|$)',
  message: 'Apps and libs import no script: move what they share with one into a lib.',
};
const importsOf = (apps) => `^(\\.\\./)*(apps/(${apps.join('|')})(/|$)|(${apps.join('|')})/src(/|$))`;
const boundaries = [
  ...APPS.map((app) => ({
    files: [`apps/${app}/**`],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              regex: importsOf(APPS.filter((other) => other !== app)),
              message:
                'An app does not import another app: cross-app test harnesses live in test/harness, shared code in a lib.',
            },
            SCRIPTS,
          ],
        },
      ],
    },
  })),
  {
    files: ['libs/**'],
    rules: {
      'no-restricted-imports': [
        'error',
        { patterns: [{ regex: importsOf(APPS), message: 'A lib imports no app.' }, SCRIPTS] },
      ],
    },
  },
];

export default tseslint.config(
  { ignores: ['dist/**', 'node_modules/**', 'coverage/**', '.local/**', 'libs/client/src/generated/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  prettier,
  {
    languageOptions: {
      globals: {
        process: 'readonly',
        console: 'readonly',
        require: 'readonly',
        module: 'writable',
        __dirname: 'readonly',
        URL: 'readonly',
        setTimeout: 'readonly',
        clearTimeout: 'readonly',
        Buffer: 'readonly',
        fetch: 'readonly',
        AbortController: 'readonly',
        AbortSignal: 'readonly',
        setInterval: 'readonly',
        clearInterval: 'readonly',
      },
    },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': 'off',
      'no-restricted-syntax': [
        'error',
        {
          selector: "MemberExpression[object.name='process'][property.name='env']",
          message: 'Read configuration through @paychat/config only.',
        },
      ],
    },
  },
  {
    files: [
      'libs/config/**',
      'libs/testing/**',
      // Tracing starts before any config is loaded; the OpenTelemetry SDK reads its OTEL_* variables itself.
      'libs/telemetry/**',
      '**/src/testing/**',
      'scripts/**',
      'test/**',
      'bench/**',
      // A Lambda takes its settings from its environment and carries no framework.
      'lambdas/**',
      '**/*.spec.ts',
      '**/*.int-spec.ts',
      '**/*.e2e-spec.ts',
      'jest.config.js',
    ],
    rules: { 'no-restricted-syntax': 'off' },
  },
  { files: ['**/*.js', '**/*.cjs'], rules: { '@typescript-eslint/no-require-imports': 'off' } },
  ...boundaries,
);
