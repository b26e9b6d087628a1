import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import Ajv2020 from 'ajv/dist/2020';
import addFormats from 'ajv-formats';
import { parse } from 'yaml';

type Json = Record<string, unknown>;
const pointer = (...parts: string[]) =>
  parts.map((p) => p.replace(/~/g, '~0').replace(/\//g, '~1')).join('/');

/**
 * Checks real answers against the committed contract: the status must be documented for the
 * operation, and the body must match its schema (JSON Schema 2020-12, as OpenAPI 3.1 says).
 * Whatever the journey exercises, code and contract are then proven to agree on responses too.
 */
export class ContractResponses {
  private readonly ajv = new Ajv2020({ strict: false, allErrors: true });
  private readonly doc: Json & { paths: Record<string, Record<string, Json>> };

  constructor(file = join(__dirname, '..', 'openapi', 'paychat.yaml')) {
    this.doc = parse(readFileSync(file, 'utf8'));
    addFormats(this.ajv);
    for (const f of ['int32', 'int64', 'password']) this.ajv.addFormat(f, true);
    this.ajv.addSchema(this.doc, 'contract');
  }

  /** Problems with one answer (empty when it is what the contract promises). */
  check(
    method: string,
    urlTemplate: string,
    status: number,
    contentType: string | null,
    body: unknown,
  ): string[] {
    const op = `${method} ${urlTemplate}`;
    const operation = this.doc.paths[urlTemplate]?.[method.toLowerCase()];
    if (!operation) return [`${op}: not in the contract`];
    const responses = operation.responses as Record<string, Json>;
    let response = responses[String(status)];
    if (!response) return [`${op}: status ${status} is not documented`];
    let at = pointer('paths', urlTemplate, method.toLowerCase(), 'responses', String(status));
    if (typeof response.$ref === 'string') {
      at = response.$ref.slice(2);
      response = at.split('/').reduce<Json>((node, key) => node[key] as Json, this.doc);
    }
    const content = response.content as Record<string, unknown> | undefined;
    if (!content) return body === undefined ? [] : [`${op} ${status}: the contract documents no body`];
    const type = Object.keys(content).find((t) => contentType?.startsWith(t));
    if (!type) return [`${op} ${status}: content type ${contentType} is not documented`];
    const validate = this.ajv.getSchema(`contract#/${at}/${pointer('content', type, 'schema')}`);
    if (!validate) return [`${op} ${status}: no schema`];
    if (validate(body)) return [];
    return (validate.errors ?? []).map((e) => `${op} ${status}: body${e.instancePath} ${e.message}`);
  }
}
