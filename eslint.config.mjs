// Lint: typescript-eslint's recommended rules everywhere; its type-aware rules (recommendedTypeChecked,
// which read the types through the tsconfig each file belongs to) on src/; Office.js rules on the
// code that touches Excel; an import fence that keeps the engine pure; and ESLint's own recommended
// rules on the CommonJS build scripts.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import officeAddins from 'eslint-plugin-office-addins';

const officePlugin = officeAddins.default ?? officeAddins;

/** What a CommonJS script run by Node sees (webpack and jest configs, build scripts, the reporter). */
const NODE_COMMONJS_GLOBALS = {
  require: 'readonly',
  module: 'writable',
  exports: 'writable',
  __dirname: 'readonly',
  __filename: 'readonly',
  process: 'readonly',
  console: 'readonly',
  Buffer: 'readonly',
};

export default tseslint.config(
  { ignores: ['dist/**', 'node_modules/**', 'coverage/**', 'test-output/**'] },
  ...tseslint.configs.recommended,
  {
    files: ['src/**/*.ts'],
    extends: [...tseslint.configs.recommendedTypeChecked],
    languageOptions: { parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname } },
  },
  {
    // Not yet on for the pane, the gateway and the command line: their findings (assertions the
    // types already imply; async methods of the in-memory gateway that keep the Office gateway's
    // signature; String(value) on a cell) are theirs to fix. Turn these on once those folders are clean.
    files: ['src/taskpane/**/*.ts', 'src/gateway/**/*.ts', 'src/cli/**/*.ts'],
    rules: {
      '@typescript-eslint/no-unnecessary-type-assertion': 'off',
      '@typescript-eslint/require-await': 'off',
      '@typescript-eslint/no-base-to-string': 'off',
    },
  },
  {
    files: ['**/*.js'],
    extends: [js.configs.recommended],
    languageOptions: { sourceType: 'commonjs', globals: NODE_COMMONJS_GLOBALS },
    rules: { '@typescript-eslint/no-require-imports': 'off' },
  },
  {
    files: ['**/*.ts'],
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': 'error',
      eqeqeq: ['error', 'always'],
      'no-console': 'off',
    },
  },
  {
    // The engine has no Office, DOM or Node imports: it runs unchanged in Excel, a browser and Node.
    files: ['src/engine/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            { group: ['node:*', 'fs', 'path', 'os', 'child_process', 'exceljs', 'office-*', '@microsoft/*'], message: 'The engine is pure: no Node, Office or file libraries.' },
            { group: ['../cli/*', '../functions/*', '../taskpane/*', '../gateway/*', '../node/*'], message: 'The engine must not depend on its adapters.' },
          ],
        },
      ],
      'no-restricted-globals': ['error', 'window', 'document', 'Office', 'Excel', 'CustomFunctions', 'process', 'require'],
    },
  },
  {
    files: ['src/gateway/**/*.ts', 'src/taskpane/**/*.ts', 'src/functions/**/*.ts'],
    plugins: { 'office-addins': officePlugin },
    rules: {
      'office-addins/call-sync-after-load': 'error',
      'office-addins/call-sync-before-read': 'error',
      'office-addins/load-object-before-read': 'error',
      'office-addins/no-context-sync-in-loop': 'error',
      'office-addins/no-empty-load': 'error',
      'office-addins/no-navigational-load': 'warn',
      'office-addins/no-office-initialize': 'error',
      'office-addins/test-for-null-using-isNullObject': 'error',
    },
  },
);
