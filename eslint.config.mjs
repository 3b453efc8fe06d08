// Lint: typescript-eslint's type-aware rules everywhere, Office.js rules on the code that touches
// Excel, and an import fence that keeps the engine pure.
import tseslint from 'typescript-eslint';
import officeAddins from 'eslint-plugin-office-addins';

const officePlugin = officeAddins.default ?? officeAddins;

export default tseslint.config(
  { ignores: ['dist/**', 'node_modules/**', 'coverage/**', 'test-output/**', '**/*.js', '**/*.mjs'] },
  ...tseslint.configs.recommended,
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
