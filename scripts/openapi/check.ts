/**
 * `npm run openapi:check`: is the committed contract (openapi/paychat.yaml) what the code does?
 * Prints every difference, naming the operation and the field; exits 1 if there is any.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { repoRoot } from '../local/processes';
import { publicApiModules } from './apps';
import { codeOperations } from './code-contract';
import { Contract, compareWithContract, Difference } from './compare';

/** The committed file (not the build's copy). */
export const CONTRACT_FILE = join(repoRoot(), 'openapi', 'paychat.yaml');

export async function contractDrift(): Promise<Difference[]> {
  const contract = parse(readFileSync(CONTRACT_FILE, 'utf8')) as Contract;
  const code = [];
  for (const module of publicApiModules()) code.push(...(await codeOperations(module)));
  return compareWithContract(code, contract);
}

export const describeDifference = (d: Difference) =>
  `${d.operation}  ${d.field}: code ${JSON.stringify(d.code)}, contract ${JSON.stringify(d.contract)}`;

if (require.main === module) {
  contractDrift()
    .then((diffs) => {
      for (const d of diffs) process.stdout.write(`${describeDifference(d)}\n`);
      process.stdout.write(
        diffs.length
          ? `\n${diffs.length} difference(s) between code and contract\n`
          : 'code and contract agree\n',
      );
      process.exit(diffs.length ? 1 : 0);
    })
    .catch((err: Error) => {
      process.stderr.write(`${err.stack ?? err.message}\n`);
      process.exit(2);
    });
}
