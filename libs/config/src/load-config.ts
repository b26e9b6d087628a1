import 'reflect-metadata';
import { ClassConstructor, plainToInstance } from 'class-transformer';
import { validateSync, ValidationError } from 'class-validator';

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid configuration: ${problems.join('; ')}`);
    this.name = 'ConfigError';
  }
}

function describe(errors: ValidationError[]): string[] {
  return errors.flatMap((e) =>
    Object.values(e.constraints ?? {}).map((msg) =>
      msg.startsWith(e.property) ? msg : `${e.property}: ${msg}`,
    ),
  );
}

/**
 * Reads env into a typed, validated config object. The only reader of `process.env` in the apps.
 * Defaults live on the class as property initialisers (the embedded local stack); names listed in
 * `requiredInProduction` must be set explicitly when NODE_ENV=production, so a dev secret can never
 * ship by accident.
 */
export function loadConfig<T extends object>(
  schema: ClassConstructor<T> & { requiredInProduction?: readonly string[] },
  env: NodeJS.ProcessEnv = process.env,
): T {
  const present = Object.fromEntries(Object.entries(env).filter(([, v]) => v !== undefined && v !== ''));
  const config = plainToInstance(schema, present, { enableImplicitConversion: true });
  const problems = describe(validateSync(config, { whitelist: false, skipMissingProperties: false }));
  if (env.NODE_ENV === 'production') {
    for (const name of schema.requiredInProduction ?? []) {
      if (!(name in present)) problems.push(`${name} must be set explicitly in production`);
    }
  }
  if (problems.length > 0) throw new ConfigError(problems);
  return config;
}
