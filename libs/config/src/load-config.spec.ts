import { IsInt, IsUrl, Min } from 'class-validator';
import { BaseEnv } from './base.env';
import { ConfigError, loadConfig } from './load-config';

class SampleEnv extends BaseEnv {
  static override readonly requiredInProduction = [...BaseEnv.requiredInProduction, 'UPSTREAM_URL'];

  @IsInt()
  @Min(1)
  WORKERS: number = 4;

  @IsUrl({ require_tld: false })
  UPSTREAM_URL: string = 'http://127.0.0.1:9';
}

function problemsOf(env: NodeJS.ProcessEnv): string {
  try {
    loadConfig(SampleEnv, env);
  } catch (err) {
    expect(err).toBeInstanceOf(ConfigError);
    return (err as Error).message;
  }
  throw new Error('expected loadConfig to fail');
}

describe('loadConfig', () => {
  it('applies defaults and converts types from strings', () => {
    const config = loadConfig(SampleEnv, { WORKERS: '8', LOG_PRETTY: 'true' });
    expect(config.WORKERS).toBe(8);
    expect(config.LOG_PRETTY).toBe(true);
    expect(config.PORT).toBe(3000);
    expect(config.UPSTREAM_URL).toBe('http://127.0.0.1:9');
    expect(loadConfig(SampleEnv, { LOG_PRETTY: 'false' }).LOG_PRETTY).toBe(false);
  });

  it('names every invalid variable', () => {
    const message = problemsOf({ WORKERS: 'many', PORT: '70000', LOG_LEVEL: 'loud' });
    expect(message).toContain('WORKERS');
    expect(message).toContain('PORT');
    expect(message).toContain('LOG_LEVEL');
  });

  it('refuses a malformed service secret list, saying what the format is', () => {
    expect(problemsOf({ INTERNAL_SECRETS: 'gateway>wallet:short' })).toContain('INTERNAL_SECRETS');
    // The former one-secret-per-service format: each entry must now name a caller→target pair.
    expect(problemsOf({ INTERNAL_SECRETS: 'gateway:local-gateway-secret-0001' })).toContain(
      'INTERNAL_SECRETS must be caller>target:secret entries',
    );
    expect(loadConfig(SampleEnv, {}).INTERNAL_SECRETS).toContain('gateway>wallet:');
  });

  it('requires production secrets to be set explicitly, naming each missing one', () => {
    const message = problemsOf({ NODE_ENV: 'production' });
    expect(message).toContain('INTERNAL_SECRETS must be set explicitly in production');
    expect(message).toContain('UPSTREAM_URL must be set explicitly in production');
  });
});
