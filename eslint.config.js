// Lint, including the import boundaries of DESIGN.md: each runtime folder imports only what its row names.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import vue from 'eslint-plugin-vue';
import globals from 'globals';

const nodeBuiltins = [
  'node:*',
  'fs',
  'path',
  'os',
  'child_process',
  'worker_threads',
  'http',
  'https',
  'net',
  'crypto',
  'url',
  'util',
  'stream',
  'events',
];
const pattern = (group, message) => ({ group, message });

export default tseslint.config(
  {
    ignores: [
      'node_modules/**',
      'out/**',
      'dist/**',
      'release/**',
      'test-results/**',
      'playwright-report/**',
      'test/fixtures/**',
      '**/*.d.ts',
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  ...vue.configs['flat/recommended'],
  {
    files: ['**/*.vue'],
    languageOptions: { parserOptions: { parser: tseslint.parser, extraFileExtensions: ['.vue'] } },
  },
  {
    languageOptions: { globals: { ...globals.node }, ecmaVersion: 2023, sourceType: 'module' },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': 'error',
      'vue/multi-word-component-names': 'off',
      'vue/max-attributes-per-line': 'off',
      'vue/singleline-html-element-content-newline': 'off',
      'vue/html-self-closing': 'off',
      'vue/html-indent': 'off',
      'vue/html-closing-bracket-newline': 'off',
      'vue/multiline-html-element-content-newline': 'off',
    },
  },
  {
    // CommonJS scripts (the Electronegativity runner loads a CommonJS-only package).
    files: ['**/*.cjs'],
    languageOptions: { sourceType: 'commonjs' },
    rules: { '@typescript-eslint/no-require-imports': 'off' },
  },
  {
    files: ['core/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            pattern(
              [...nodeBuiltins, 'electron', 'vue', 'pinia', 'echarts', 'monaco-editor', '@vue-flow/*'],
              'core/ is pure TypeScript: no Node, Electron, Vue or UI libraries (DESIGN.md, Folders).',
            ),
            pattern(['**/main/**', '**/electron/**', '**/renderer/**'], 'core/ imports only itself.'),
          ],
        },
      ],
    },
  },
  {
    files: ['core/**/*.ts'],
    // The training loop computes gradients and updates weights, so it uses tfjs-core like the engine.
    ignores: ['core/engine/**', 'core/training/**'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            pattern(
              [...nodeBuiltins, 'electron', 'vue', 'pinia', 'echarts', 'monaco-editor', '@vue-flow/*'],
              'core/ is pure TypeScript: no Node, Electron, Vue or UI libraries (DESIGN.md, Folders).',
            ),
            pattern(['**/main/**', '**/electron/**', '**/renderer/**'], 'core/ imports only itself.'),
            pattern(
              ['@tensorflow/*'],
              'Only core/engine may import tfjs; the rest of core/ is shared with the UI, ' +
                'which validates without tfjs.',
            ),
          ],
        },
      ],
    },
  },
  {
    files: ['main/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            pattern(
              ['electron', '**/electron/**', '**/renderer/**', 'vue', 'pinia'],
              'main/ holds Node services: it imports core/, node:* and npm libraries, ' +
                'never electron/ or renderer/.',
            ),
          ],
        },
      ],
    },
  },
  {
    files: ['electron/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            pattern(
              ['**/renderer/**', 'vue', 'pinia'],
              'electron/ is the shell: core/, main/ and electron only.',
            ),
          ],
        },
      ],
    },
  },
  {
    files: ['renderer/**/*.{ts,vue}'],
    ignores: ['renderer/vite.config.ts'],
    languageOptions: { globals: { ...globals.browser } },
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            pattern(
              [...nodeBuiltins, 'electron'],
              'renderer/ runs sandboxed: it reaches the machine only through the host API client.',
            ),
            pattern(
              ['**/main/**', '**/electron/**'],
              'renderer/ reaches the machine only through the host API client (core/api).',
            ),
            pattern(
              ['**/core/engine/**', '@tensorflow/*'],
              'renderer/ validates with core/ but never loads the engine.',
            ),
          ],
        },
      ],
    },
  },
);
