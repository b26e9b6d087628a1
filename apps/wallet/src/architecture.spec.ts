import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';

const root = join(__dirname, '../../..');
const apps = join(root, 'apps');

/** Every controller of every app, read as text (node_modules and builds excluded). */
const controllers = readdirSync(apps, { recursive: true, encoding: 'utf8' })
  .filter((path) => path.endsWith('.controller.ts') && !/(^|\/)(node_modules|dist)\//.test(path))
  .map((path) => ({ path: relative(root, join(apps, path)), text: readFileSync(join(apps, path), 'utf8') }));

const STRING_LITERAL = /'(?:[^'\\\n]|\\.)*'|"(?:[^"\\\n]|\\.)*"|`(?:[^`\\]|\\.)*`/g;
const SQL = /\b(SELECT|INSERT|UPDATE|DELETE|REPLACE)\b[\s\S]*\b(FROM|INTO|SET|WHERE)\b/;

/**
 * Controllers take validated input and the caller and call one use-case: the connection, the
 * transaction and the SQL belong to use-cases and repositories, never to a controller.
 */
describe('controllers run no SQL', () => {
  it('finds the controllers', () => {
    expect(controllers.length).toBeGreaterThan(10);
  });

  it.each(controllers)('$path imports nothing from typeorm', ({ text }) => {
    expect(text).not.toMatch(/from ['"]typeorm['"]/);
  });

  it.each(controllers)('$path holds no query', ({ text }) => {
    expect(text).not.toMatch(/\.query\(/);
    expect((text.match(STRING_LITERAL) ?? []).filter((literal) => SQL.test(literal))).toEqual([]);
  });
});
