import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { extname, join } from 'node:path';

/** One file of the console, held in memory with its content type. */
export interface ConsoleAsset {
  body: Buffer;
  type: string;
}

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
};

/**
 * Where `npm run build` puts the console's bundle (esbuild: dist/console). This file runs from
 * apps/gateway/src/console in tests and from dist/apps/gateway/src/console when built: four levels
 * up is the repository or dist/ itself.
 */
export function defaultConsoleDir(): string {
  const up = join(__dirname, '..', '..', '..', '..');
  return existsSync(join(up, 'console', 'index.html')) ? join(up, 'console') : join(up, 'dist', 'console');
}

/**
 * The bundle read once at boot: index.html and the files beside it (one JS, one CSS), by name. A
 * request names an entry of this map, never a path, so nothing outside the bundle can be reached.
 * An unbuilt console is empty: the gateway still serves the API.
 */
export function loadConsoleAssets(dir: string): {
  index?: ConsoleAsset;
  assets: Map<string, ConsoleAsset>;
} {
  const assets = new Map<string, ConsoleAsset>();
  if (!existsSync(join(dir, 'index.html'))) return { assets };
  for (const name of readdirSync(dir)) {
    const type = TYPES[extname(name)];
    if (type && name !== 'index.html') assets.set(name, { body: readFileSync(join(dir, name)), type });
  }
  return { index: { body: readFileSync(join(dir, 'index.html')), type: TYPES['.html'] }, assets };
}
