import type { CodeOperation, SchemaObject } from './code-contract';

interface Parameter {
  name: string;
  in: string;
  required?: boolean;
  schema: SchemaObject;
  $ref?: string;
}
interface ContractOperation {
  parameters?: Parameter[];
  requestBody?: { content: Record<string, { schema: SchemaObject }> };
  responses: Record<string, unknown>;
}
export interface Contract {
  paths: Record<string, Record<string, ContractOperation>>;
  components: Record<string, Record<string, unknown>>;
}

export interface Difference {
  operation: string;
  field: string;
  code: unknown;
  contract: unknown;
}

/** Only the public and admin API is the contract's business (not /internal, /health). */
const PUBLIC = /^\/(v2|admin\/v2)\//;
const FACETS = [
  'type',
  'format',
  'minimum',
  'maximum',
  'minLength',
  'maxLength',
  'pattern',
  'minItems',
  'maxItems',
  'uniqueItems',
] as const;

/**
 * Compares what the code declares with the committed contract, structurally: the same operations;
 * for each, the same success status, and the same path, query and body fields — names, required,
 * types and every bound (lengths, ranges, patterns, enums, array sizes) — with bodies closed to
 * unknown fields. Prose, examples and error bodies live only in the contract.
 */
export function compareWithContract(code: CodeOperation[], contract: Contract): Difference[] {
  const diffs: Difference[] = [];
  const resolve = <T>(node: T & { $ref?: string }): T => {
    if (!node?.$ref) return node;
    const [, , section, name] = node.$ref.split('/');
    return resolve(contract.components[section][name] as T & { $ref?: string });
  };
  const contractOps = new Map<string, ContractOperation>();
  for (const [path, item] of Object.entries(contract.paths))
    for (const [method, op] of Object.entries(item))
      if (PUBLIC.test(path)) contractOps.set(`${method.toUpperCase()} ${path}`, op);
  const codeOps = new Map(code.filter((op) => PUBLIC.test(op.key.split(' ')[1])).map((op) => [op.key, op]));

  for (const key of codeOps.keys())
    if (!contractOps.has(key))
      diffs.push({ operation: key, field: '(operation)', code: 'served', contract: 'missing' });
  for (const key of contractOps.keys())
    if (!codeOps.has(key))
      diffs.push({ operation: key, field: '(operation)', code: 'missing', contract: 'documented' });

  for (const [key, op] of codeOps) {
    const doc = contractOps.get(key);
    if (!doc) continue;
    const add = (field: string, codeValue: unknown, contractValue: unknown) =>
      diffs.push({ operation: key, field, code: codeValue, contract: contractValue });
    const successes = Object.keys(doc.responses).filter((s) => s.startsWith('2'));
    if (!successes.includes(String(op.status))) add('responses (success status)', op.status, successes);

    const params = (doc.parameters ?? []).map((p) => resolve(p));
    for (const where of ['path', 'query'] as const) {
      const declared = params.filter((p) => p.in === where);
      const asObject: SchemaObject = {
        properties: Object.fromEntries(declared.map((p) => [p.name, resolve(p.schema)])),
        required: declared.filter((p) => p.required).map((p) => p.name),
      };
      compareObject(
        op[where === 'path' ? 'params' : 'query'] ?? { properties: {} },
        asObject,
        `${where}`,
        add,
        resolve,
      );
    }
    const body = doc.requestBody?.content['application/json']?.schema;
    if (op.body || body) {
      const contractBody = body ? flatten(resolve(body), resolve) : { properties: {} };
      compareObject(op.body ?? { properties: {} }, contractBody, 'requestBody', add, resolve);
      if (op.body && contractBody.additionalProperties !== false)
        add('requestBody.additionalProperties', false, contractBody.additionalProperties ?? 'allowed');
    }
  }
  return diffs;
}

type Add = (field: string, code: unknown, contract: unknown) => void;
type Resolve = <T>(node: T & { $ref?: string }) => T;

function flatten(schema: SchemaObject, resolve: Resolve): SchemaObject {
  if (!schema.allOf) return schema;
  const parts = schema.allOf.map((s) => flatten(resolve(s), resolve));
  return {
    ...schema,
    properties: Object.assign({}, ...parts.map((p) => p.properties)),
    required: parts.flatMap((p) => p.required ?? []),
    additionalProperties: parts.every((p) => p.additionalProperties === false) ? false : undefined,
  };
}

function compareObject(
  code: SchemaObject,
  contract: SchemaObject,
  at: string,
  add: Add,
  resolve: Resolve,
): void {
  const codeProps = code.properties ?? {};
  const docProps = contract.properties ?? {};
  for (const name of new Set([...Object.keys(codeProps), ...Object.keys(docProps)])) {
    if (!(name in docProps)) add(`${at}.${name}`, 'accepted', 'missing');
    else if (!(name in codeProps)) add(`${at}.${name}`, 'missing', 'documented');
    else compareField(codeProps[name], resolve(docProps[name]), `${at}.${name}`, add, resolve);
  }
  const required = (s: SchemaObject) => [...(s.required ?? [])].sort();
  if (JSON.stringify(required(code)) !== JSON.stringify(required(contract)))
    add(`${at} (required)`, required(code), required(contract));
}

function compareField(
  code: SchemaObject,
  contract: SchemaObject,
  at: string,
  add: Add,
  resolve: Resolve,
): void {
  // A nullable contract field (`oneOf: [X, null]`) is compared with its non-null branch.
  const doc = contract.oneOf
    ? resolve(contract.oneOf.find((s) => resolve(s).type !== 'null') ?? {})
    : contract;
  for (const facet of FACETS) {
    const c = code[facet];
    const d = doc[facet];
    if (facet === 'format' && c === undefined) continue; // the contract may say more (int64, date-time)
    if (c !== d) add(`${at}.${facet}`, c, d);
  }
  if (JSON.stringify([...(code.enum ?? [])].sort()) !== JSON.stringify([...(doc.enum ?? [])].sort()))
    add(`${at}.enum`, code.enum, doc.enum);
  if (code.items || doc.items)
    compareField(code.items ?? {}, resolve(doc.items ?? {}), `${at}[]`, add, resolve);
}
