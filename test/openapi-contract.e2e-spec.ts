import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { contractDrift, describeDifference } from '../scripts/openapi/check';

const ROOT = join(__dirname, '..');
const GENERATED = join(ROOT, 'libs', 'client', 'src', 'generated');

function files(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? files(path) : [path];
  });
}

/** The committed contract and the code can never disagree (requests here, responses in the journey). */
describe('openapi/paychat.yaml is what the code does', () => {
  it('declares every operation, parameter and request body field exactly as the controllers and DTOs do', async () => {
    const differences = (await contractDrift()).map(describeDifference);
    expect(differences).toEqual([]);
  });

  it('and the committed client is generated from it as it is now (npm run client:generate)', () => {
    const out = mkdtempSync(join(tmpdir(), 'paychat-client-'));
    try {
      execFileSync(
        join(ROOT, 'node_modules', '.bin', 'openapi-ts'),
        [
          '-i',
          './openapi/paychat.yaml',
          '-o',
          out,
          '-c',
          '@hey-api/client-fetch',
          '--no-log-file',
          '--silent',
        ],
        { cwd: ROOT },
      );
      const fresh = files(out).map((f) => [relative(out, f), readFileSync(f, 'utf8')]);
      const committed = files(GENERATED).map((f) => [relative(GENERATED, f), readFileSync(f, 'utf8')]);
      expect(committed).toEqual(fresh);
    } finally {
      rmSync(out, { recursive: true, force: true });
    }
  });
});
