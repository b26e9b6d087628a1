// Bundles the console (one JS, one CSS, index.html) into dist/console for the gateway to serve.
// Run by `npm run build` after the server build, and by the console's browser tests.
import { build } from 'esbuild';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');

await build({
  absWorkingDir: root,
  entryPoints: ['apps/console/src/console.ts', 'apps/console/index.html'],
  bundle: true,
  minify: true,
  format: 'esm',
  target: 'es2022',
  loader: { '.html': 'copy' },
  outdir: 'dist/console',
  entryNames: '[name]',
  logLevel: 'warning',
});
