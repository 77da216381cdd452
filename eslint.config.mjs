// One lint configuration for the whole package: typescript-eslint's
// recommended rules, plus the direction of imports from the design (a layer
// imports only layers below it; the extension and the webview import only
// server/protocol, as types). Formatting is Prettier's job (npm run format).
import js from '@eslint/js';
import globals from 'globals';
import tseslint from 'typescript-eslint';

/** Import patterns for a folder of server/ (and everything in it). */
const dir = (name) => [`**/${name}`, `**/${name}/**`];
// protocol/lsp.ts is the message types, not the language server
const DOORS = [...dir('lsp'), ...dir('cli'), '**/cli.ts', '**/extension/**', 'vscode', '!**/protocol/lsp'];
const ENGINE = [...dir('serving'), ...dir('modeltests'), ...dir('report'), ...dir('publish'), ...dir('pipeline'), '**/pipeline.ts'];

/** `files` may not import `banned` (why: the message the developer sees). */
const layer = (files, banned, why) => ({
  files,
  rules: {
    'no-restricted-imports': ['error', { patterns: [{ group: banned, message: why }] }],
  },
});

export default tseslint.config(
  { ignores: ['dist/**', 'node_modules/**', '.modelgate/**', 'out/**', '**/*.d.ts', 'samples/**', 'test/fixtures/**', '.vscode-test/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { ...globals.node } },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrors: 'none' }],
      // a late-bound reference read by a closure declared before it is set
      'prefer-const': ['error', { ignoreReadBeforeAssign: true }],
    },
  },
  // Custom LSP messages are declared as vscode-languageserver-protocol declares
  // its own: a namespace per message with `method` and `type`.
  { files: ['server/protocol/lsp.ts'], rules: { '@typescript-eslint/no-namespace': 'off' } },
  // The `modelgate` launcher runs as plain CommonJS before any bundle exists.
  { files: ['bin/**/*.js'], languageOptions: { sourceType: 'commonjs' }, rules: { '@typescript-eslint/no-require-imports': 'off' } },
  // Tests and benchmarks read JSON answers whose shape is what they check.
  { files: ['test/**/*.ts', 'bench/**/*.ts'], rules: { '@typescript-eslint/no-explicit-any': 'off' } },
  { files: ['webview/**/*.ts'], languageOptions: { globals: { ...globals.browser } } },
  // Later entries win, so each layer lists everything it may not import.
  layer(
    ['server/**/*.ts'],
    ['vscode', '**/extension/**', '**/webview/**'],
    'server/ runs outside the editor: it never imports vscode, the extension or the webview (DESIGN.md).',
  ),
  layer(
    ['server/protocol/**/*.ts'],
    ['../*', '!../protocol', '!../protocol/*', 'vscode'],
    'server/protocol holds the types that cross a boundary and imports nothing of ours (DESIGN.md).',
  ),
  layer(['server/runtime/**/*.ts'], [...dir('manifest'), ...ENGINE, ...DOORS], 'server/runtime sits below every engine layer (DESIGN.md).'),
  layer(['server/stats/**/*.ts'], [...dir('manifest'), ...ENGINE, ...DOORS], 'server/stats sits below every engine layer (DESIGN.md).'),
  layer(['server/manifest/**/*.ts'], [...ENGINE, ...DOORS], 'server/manifest imports only protocol, runtime and stats (DESIGN.md).'),
  layer(
    ['server/serving/**/*.ts', 'server/modeltests/**/*.ts', 'server/report/**/*.ts', 'server/publish/**/*.ts'],
    [...dir('pipeline'), '**/pipeline.ts', ...DOORS],
    'the engine layers never import the pipeline or a door (DESIGN.md).',
  ),
  layer(['server/pipeline/**/*.ts', 'server/pipeline.ts'], DOORS, 'the pipeline is below the doors (DESIGN.md).'),
  layer(
    ['server/lsp/**/*.ts'],
    [...dir('cli'), '**/cli.ts', '**/extension/**', 'vscode'],
    'the language server and the CLI are separate doors on the same engine (the CLI may host the language server: `modelgate lsp`) (DESIGN.md).',
  ),
  {
    files: ['extension/**/*.ts', 'webview/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              regex: '^(\\.\\./)+server/(?!protocol/)',
              message: 'the extension and the webview import only server/protocol (DESIGN.md); ask the language server for anything else.',
            },
          ],
        },
      ],
      '@typescript-eslint/consistent-type-imports': 'off',
    },
  },
);
