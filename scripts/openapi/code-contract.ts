import 'reflect-metadata';
import type { DynamicModule, Type } from '@nestjs/common';
import {
  HTTP_CODE_METADATA,
  METHOD_METADATA,
  PATH_METADATA,
  ROUTE_ARGS_METADATA,
} from '@nestjs/common/constants';
import { RequestMethod } from '@nestjs/common/enums/request-method.enum';
import { RouteParamtypes } from '@nestjs/common/enums/route-paramtypes.enum';
import { ModulesContainer, NestFactory } from '@nestjs/core';
import { FastifyAdapter } from '@nestjs/platform-fastify';
import { targetConstructorToSchema } from 'class-validator-jsonschema';

/** The JSON Schema facets the drift check compares (a subset of OpenAPI 3.1's Schema Object). */
export interface SchemaObject {
  type?: string | string[];
  format?: string;
  properties?: Record<string, SchemaObject>;
  required?: string[];
  items?: SchemaObject;
  enum?: unknown[];
  pattern?: string;
  minimum?: number;
  maximum?: number;
  minLength?: number;
  maxLength?: number;
  minItems?: number;
  maxItems?: number;
  uniqueItems?: boolean;
  additionalProperties?: boolean | SchemaObject;
  $ref?: string;
  oneOf?: SchemaObject[];
  allOf?: SchemaObject[];
}

/** What the code states about one HTTP operation: its route, success status and input schemas. */
export interface CodeOperation {
  /** `POST /v2/wallet/transfers`, path params as `{id}`. */
  key: string;
  status: number;
  body?: SchemaObject;
  query?: SchemaObject;
  params?: SchemaObject;
}

/** The library's Min/Max also say `type: number`, which would hide @IsInt's `integer`. */
const additionalConverters = {
  min: (meta: { constraints: number[] }) => ({ minimum: meta.constraints[0] }),
  max: (meta: { constraints: number[] }) => ({ maximum: meta.constraints[0] }),
};

const join = (...parts: (string | undefined)[]) =>
  '/' +
  parts
    .flatMap((p) => (p ?? '').split('/'))
    .filter(Boolean)
    .map((segment) => segment.replace(/^:(\w+)$/, '{$1}'))
    .join('/');

/**
 * The operations an app's controllers declare, read from the running code's own decorators: Nest's
 * route metadata (path, method, @HttpCode, @Body/@Query/@Param) and the DTO classes' class-validator
 * rules, turned into JSON Schema (class-validator-jsonschema). The app is built in preview mode:
 * nothing is instantiated, nothing connects, nothing listens.
 */
export async function codeOperations(module: DynamicModule): Promise<CodeOperation[]> {
  const app = await NestFactory.create(module, new FastifyAdapter(), { preview: true, logger: false });
  try {
    const operations: CodeOperation[] = [];
    for (const moduleRef of app.get(ModulesContainer).values()) {
      for (const wrapper of moduleRef.controllers.values()) {
        const controller = wrapper.metatype as Type | null;
        if (controller) operations.push(...operationsOf(controller));
      }
    }
    return operations;
  } finally {
    await app.close();
  }
}

function operationsOf(controller: Type): CodeOperation[] {
  const base = Reflect.getMetadata(PATH_METADATA, controller) as string | undefined;
  const proto = controller.prototype as Record<string, unknown>;
  return Object.getOwnPropertyNames(proto).flatMap((name) => {
    const handler = proto[name];
    if (name === 'constructor' || typeof handler !== 'function') return [];
    const method = Reflect.getMetadata(METHOD_METADATA, handler) as RequestMethod | undefined;
    if (method === undefined) return [];
    const verb = RequestMethod[method];
    const path = join(base, Reflect.getMetadata(PATH_METADATA, handler) as string);
    const status =
      (Reflect.getMetadata(HTTP_CODE_METADATA, handler) as number | undefined) ??
      (verb === 'POST' ? 201 : 200);
    const types = (Reflect.getMetadata('design:paramtypes', proto, name) ?? []) as Type[];
    const args = (Reflect.getMetadata(ROUTE_ARGS_METADATA, controller, name) ?? {}) as Record<
      string,
      { index: number }
    >;
    const schemaOf = (kind: RouteParamtypes) => {
      const arg = Object.entries(args).find(([key]) => key === `${kind}:${key.split(':')[1]}`)?.[1];
      const type = arg ? types[arg.index] : undefined;
      return type && type !== Object
        ? (targetConstructorToSchema(type, { additionalConverters }) as SchemaObject)
        : undefined;
    };
    return [
      {
        key: `${verb} ${path}`,
        status,
        body: schemaOf(RouteParamtypes.BODY),
        query: schemaOf(RouteParamtypes.QUERY),
        params: schemaOf(RouteParamtypes.PARAM),
      },
    ];
  });
}
