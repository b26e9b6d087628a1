import { readFileSync } from 'node:fs';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { type OpenAPIObject, SwaggerModule } from '@nestjs/swagger';
import { parse } from 'yaml';
import type { GatewayEnv } from '../gateway.env';

/**
 * One API document for clients: the committed contract (openapi/paychat.yaml, every public and
 * admin operation of every service — checked against the code by scripts/openapi) at
 * /openapi.json, and Swagger UI on it at /docs.
 */
export function registerApiDocs(app: NestFastifyApplication, config: GatewayEnv): void {
  const document = parse(readFileSync(config.OPENAPI_FILE, 'utf8')) as OpenAPIObject;
  // "Try it out" (and any client reading this copy) talks to the gateway that served it.
  document.servers = [{ url: '/', description: 'this gateway' }];
  SwaggerModule.setup('docs', app, document, {
    jsonDocumentUrl: 'openapi.json',
    yamlDocumentUrl: 'openapi.yaml',
    swaggerOptions: { persistAuthorization: true },
  });
}
