import { mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { App, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { readConfig } from '../lib/config';
import { PaychatImagesStack } from '../lib/images-stack';
import { PaychatPlatformStack } from '../lib/platform-stack';
import { PaychatServicesStack } from '../lib/services-stack';

type Resources = Record<string, { Type: string; Properties?: Record<string, unknown> }>;

export interface Synthesized {
  template: Template;
  /** The template's resources with cross-stack references replaced by what they refer to. */
  resources: Resources;
}

export interface SynthesizedApp {
  images: Synthesized;
  platform: Synthesized;
  services: Synthesized;
  /** Every stack's resources together (logical ids do not collide across our stacks). */
  all: Resources;
}

/**
 * Synthesizes the app the way `cdk synth` does (infra/cdk.json's context, plus overrides), into a scratch
 * directory under infra/cdk.out/ (gitignored; never /tmp) that is removed once the templates are read.
 */
export function synth(contextOverrides: Record<string, unknown> = {}): SynthesizedApp {
  const cdkJson = JSON.parse(readFileSync(join(__dirname, '..', 'cdk.json'), 'utf8')) as {
    context: Record<string, unknown>;
  };
  const root = join(__dirname, '..', 'cdk.out');
  mkdirSync(root, { recursive: true });
  const outdir = mkdtempSync(join(root, 'test-'));
  try {
    const app = new App({ outdir, context: { ...cdkJson.context, ...contextOverrides } });
    const config = readConfig(app.node);
    const env = { account: config.account, region: config.region };
    const platform = new PaychatPlatformStack(app, 'PaychatPlatform', { env, config });
    const stacks: Record<'images' | 'platform' | 'services', Stack> = {
      images: new PaychatImagesStack(app, 'PaychatImages', { env }),
      platform,
      services: new PaychatServicesStack(app, 'PaychatServices', { env, platform, config }),
    };
    const templates = Object.fromEntries(
      Object.entries(stacks).map(([key, stack]) => [key, Template.fromStack(stack)]),
    ) as Record<keyof typeof stacks, Template>;
    const outputs = new Map(
      Object.entries(stacks).map(([key, stack]) => [
        stack.stackName,
        (templates[key as keyof typeof stacks].toJSON().Outputs ?? {}) as Record<string, { Value: unknown }>,
      ]),
    );
    const of = (key: keyof typeof stacks): Synthesized => ({
      template: templates[key],
      resources: resolveStackOutputs(templates[key].toJSON().Resources, outputs) as Resources,
    });
    const result = { images: of('images'), platform: of('platform'), services: of('services') };
    return { ...result, all: { ...result.platform.resources, ...result.services.resources } };
  } finally {
    rmSync(outdir, { recursive: true, force: true });
  }
}

/** Replaces `Fn::GetStackOutput` (CDK's cross-stack references) with the other stack's output value. */
function resolveStackOutputs(
  value: unknown,
  outputs: Map<string, Record<string, { Value: unknown }>>,
): unknown {
  if (Array.isArray(value)) return value.map((v) => resolveStackOutputs(v, outputs));
  if (value === null || typeof value !== 'object') return value;
  const ref = (value as { 'Fn::GetStackOutput'?: { StackName: string; OutputName: string } })[
    'Fn::GetStackOutput'
  ];
  if (ref) return resolveStackOutputs(outputs.get(ref.StackName)![ref.OutputName].Value, outputs);
  return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, resolveStackOutputs(v, outputs)]));
}

/** Resources of one type, by logical id. */
export function ofType(resources: Resources, type: string): [string, Record<string, unknown>][] {
  return Object.entries(resources)
    .filter(([, r]) => r.Type === type)
    .map(([id, r]) => [id, r.Properties ?? {}]);
}

/** The logical id of the one resource of a type whose id starts with a construct path prefix. */
export function logicalId(resources: Resources, type: string, prefix: string): string {
  const ids = ofType(resources, type)
    .map(([id]) => id)
    .filter((id) => id.startsWith(prefix));
  if (ids.length !== 1)
    throw new Error(`expected one ${type} starting with ${prefix}, got ${ids.join(', ')}`);
  return ids[0];
}
