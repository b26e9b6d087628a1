// First: the config classes' decorators record property types only if reflect-metadata is loaded.
import 'reflect-metadata';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { loadConfig } from '../../libs/config/src';
import { APP_TELEMETRY_ENV } from '../lib/observability/collector-sidecar';
import { APP_ENVS } from './app-envs';
import { execForm, parseDockerfile, Stage } from './dockerfile';

const ROOT = join(__dirname, '..', '..');
const read = (path: string) => readFileSync(join(ROOT, path), 'utf8');
/**
 * The services: every app that runs as a process with its own configuration (`src/<app>.env.ts`).
 * apps/console is not one: a browser bundle that the gateway's image serves.
 */
const APPS = readdirSync(join(ROOT, 'apps'), { withFileTypes: true })
  .filter((d) => d.isDirectory() && existsSync(join(ROOT, 'apps', d.name, 'src', `${d.name}.env.ts`)))
  .map((d) => d.name);

type Service = {
  image?: string;
  build?: { context: string; dockerfile: string };
  command?: string[];
  environment?: Record<string, string>;
  healthcheck?: { test?: string[]; disable?: boolean };
  depends_on?: Record<string, { condition: string }>;
  ports?: string[];
  profiles?: string[];
  volumes?: string[];
};
const compose = parse(read('docker/compose.yml'), { merge: true }) as { services: Record<string, Service> };

const only = (stage: Stage, keyword: string) => stage.instructions.filter((i) => i.keyword === keyword);

describe.each(APPS)('docker/%s.Dockerfile', (app) => {
  const text = read(`docker/${app}.Dockerfile`);
  const stages = parseDockerfile(text);
  const final = stages.at(-1)!;
  const last = (keyword: string) => only(final, keyword).at(-1)?.args;

  it('is multi-stage on a pinned Node 22 slim base', () => {
    expect(stages.length).toBeGreaterThanOrEqual(2);
    for (const { from } of stages) {
      expect(from).toBe('node:22-bookworm-slim');
      expect(from).not.toMatch(/:latest$|^[^:]+$/);
    }
  });

  it('installs from the lockfile, and the runtime takes production dependencies only', () => {
    const runs = stages.flatMap((s) => only(s, 'RUN').map((r) => r.args));
    expect(runs.some((r) => /\bnpm ci\b/.test(r))).toBe(true);
    expect(runs.some((r) => /\bnpm (install|i)\b/.test(r))).toBe(false);
    const nodeModules = only(final, 'COPY').find((c) => / \.\/node_modules$/.test(c.args))!;
    const source = stages.find((s) => nodeModules.args.startsWith(`--from=${s.name} `))!;
    expect(only(source, 'RUN').map((r) => r.args)).toEqual([expect.stringMatching(/npm ci --omit=dev/)]);
    expect(only(final, 'RUN')).toEqual([]);
  });

  it('runs as a non-root user with production settings on port 3000', () => {
    expect(last('USER')).toBeDefined();
    expect(last('USER')).not.toMatch(/^(root|0)(:|$)/);
    expect(last('ENV')).toMatch(/\bNODE_ENV=production\b/);
    expect(last('ENV')).toMatch(/\bPORT=3000\b/);
    expect(last('EXPOSE')).toBe('3000');
  });

  it('health-checks /health/live, stops on SIGTERM and starts node directly (exec form)', () => {
    const [, check] = last('HEALTHCHECK')!.split(/\bCMD\s+/);
    expect(execForm(check)?.join(' ')).toContain('http://127.0.0.1:3000/health/live');
    expect(last('STOPSIGNAL')).toBe('SIGTERM');
    expect(execForm(last('CMD')!)).toEqual(['node', `dist/apps/${app}/src/main.js`]);
    expect(existsSync(join(ROOT, 'apps', app, 'src', 'main.ts'))).toBe(true);
  });

  it('holds the console bundle that the gateway serves at /admin (like the rest of the build)', () => {
    const copies = only(final, 'COPY').map((c) => c.args);
    expect(copies).toContain('--from=build /app/dist/console ./dist/console');
  });

  it('is the same as every other app’s Dockerfile but for the name', () => {
    const template = (name: string, body: string) =>
      body.replace(new RegExp(`(?<=paychat[ /]|docker/|dist/apps/)${name}\\b`, 'g'), '<app>');
    expect(template(app, text).match(/<app>/g)).toHaveLength(4);
    expect(template(app, text)).toBe(template('gateway', read('docker/gateway.Dockerfile')));
  });
});

describe('docker/compose.yml', () => {
  const { services } = compose;

  it('runs every app from its own Dockerfile, health-checked, after the migration job', () => {
    for (const app of APPS) {
      const service = services[app];
      expect(service?.build).toEqual({ context: '..', dockerfile: `docker/${app}.Dockerfile` });
      expect(service.healthcheck?.test?.join(' ')).toContain('/health/ready');
      expect(service.depends_on?.migrate).toEqual({ condition: 'service_completed_successfully' });
    }
    expect(services.gateway.ports).toEqual(['8080:3000']);
  });

  it('has a one-off migration job gated on a healthy MySQL', () => {
    expect(services.migrate.command).toEqual(['node', 'dist/scripts/migrate.js']);
    expect(services.migrate.depends_on?.mysql).toEqual({ condition: 'service_healthy' });
    expect(services.migrate.environment?.DYNAMODB_ENDPOINT).toBe('http://dynamodb:8000');
    expect(services.mysql.healthcheck?.test).toEqual(expect.arrayContaining(['mysqladmin', 'ping']));
  });

  it('pins every image, and cognito-local to the npm version the tests use', () => {
    for (const [name, service] of Object.entries(services)) {
      const image = service.image ?? '';
      expect({ name, pinned: /^[^:]+:[^:]+$/.test(image) && !image.endsWith(':latest') }).toEqual({
        name,
        pinned: true,
      });
    }
    const pkg = JSON.parse(read('package.json')) as { devDependencies: Record<string, string> };
    expect(services.cognito.image).toBe(`jagregory/cognito-local:${pkg.devDependencies['cognito-local']}`);
    expect(services.dynamodb.image).toMatch(/^amazon\/dynamodb-local:/);
  });

  it('gives each app a configuration that passes its production validation', () => {
    for (const app of APPS) {
      const env = services[app].environment!;
      expect(env.NODE_ENV).toBe('production');
      const schema: Parameters<typeof loadConfig>[0] = APP_ENVS[app as keyof typeof APP_ENVS];
      expect(() => loadConfig(schema, env)).not.toThrow();
    }
  });

  it('serves each app’s metrics on the production port, unpublished, and traces only when asked', () => {
    for (const app of APPS) {
      const { environment, ports = [], profiles } = services[app];
      expect(environment!.METRICS_PORT).toBe(APP_TELEMETRY_ENV.METRICS_PORT);
      expect(ports.join()).not.toContain(APP_TELEMETRY_ENV.METRICS_PORT);
      // Compose's own default: off unless OTEL_SDK_DISABLED=false is set for the observability profile.
      expect(environment!.OTEL_SDK_DISABLED).toBe('${OTEL_SDK_DISABLED:-true}');
      expect(environment!.OTEL_EXPORTER_OTLP_ENDPOINT).toBe('http://otel-collector:4318');
      expect(profiles).toBeUndefined(); // the apps run with or without the profile
    }
  });

  it('has an observability profile: a collector to Jaeger, and Prometheus scraping every app', () => {
    const profile = Object.entries(services).filter(([, s]) => s.profiles?.includes('observability'));
    expect(profile.map(([name]) => name).sort()).toEqual(['jaeger', 'otel-collector', 'prometheus']);
    expect(services['otel-collector'].image).toMatch(/^otel\/opentelemetry-collector-contrib:\d/);
    expect(services.jaeger.image).toMatch(/^jaegertracing\/jaeger:2\./); // v2, built on the collector
    expect(services.prometheus.image).toMatch(/^prom\/prometheus:v3\./);
    /** The YAML a service mounts from docker/observability/ (read-only). */
    const mounted = (service: string) => {
      const [volume] = services[service].volumes!;
      const [, file] = /^\.\/(observability\/[\w.-]+):[^:]+:ro$/.exec(volume)!;
      return parse(read(`docker/${file}`)) as Record<string, Record<string, unknown>>;
    };
    type Otlp = { otlp: { protocols: Record<string, { endpoint: string }> } };
    const collector = mounted('otel-collector');
    const apps = new URL(services.gateway.environment!.OTEL_EXPORTER_OTLP_ENDPOINT);
    expect(apps.hostname).toBe('otel-collector');
    expect((collector.receivers as Otlp).otlp.protocols.http.endpoint).toBe(`0.0.0.0:${apps.port}`);
    const exporter = collector.exporters['otlp_grpc/jaeger'] as { endpoint: string };
    const jaeger = (mounted('jaeger').receivers as Otlp).otlp.protocols.grpc.endpoint;
    expect(exporter.endpoint).toBe(`jaeger:${jaeger.split(':').at(-1)}`);
    expect(services['otel-collector'].depends_on?.jaeger).toEqual({ condition: 'service_started' });
    const [scrape] = mounted('prometheus').scrape_configs as unknown as {
      static_configs: { targets: string[] }[];
    }[];
    expect(scrape.static_configs.flatMap((c) => c.targets).sort()).toEqual(
      APPS.map((app) => `${app}:${APP_TELEMETRY_ENV.METRICS_PORT}`).sort(),
    );
    // The collector takes spans from `npm run dev` too, on this machine only.
    expect(services['otel-collector'].ports).toEqual([`127.0.0.1:${apps.port}:${apps.port}`]);
    expect(services.jaeger.ports).toEqual(['16686:16686']);
    expect(services.prometheus.ports).toEqual(['9090:9090']);
  });

  it('seeds cognito-local with the pool and client ids the apps default to', () => {
    const defaults = new APP_ENVS.gateway();
    const pool = JSON.parse(read(`docker/cognito/db/${defaults.COGNITO_USER_POOL_ID}.json`)) as {
      Groups: Record<string, { members: string[] }>;
    };
    const clients = JSON.parse(read('docker/cognito/db/clients.json')) as {
      Clients: Record<string, unknown>;
    };
    expect(Object.keys(clients.Clients)).toEqual([defaults.COGNITO_CLIENT_ID]);
    expect(pool.Groups.admin.members).toHaveLength(1);
    const config = JSON.parse(read('docker/cognito/config.json')) as {
      TokenConfig: { IssuerDomain: string };
    };
    expect(config.TokenConfig.IssuerDomain).toBe(services.gateway.environment!.COGNITO_ENDPOINT);
    expect(services.gateway.environment!.COGNITO_USER_POOL_ID).toBe(defaults.COGNITO_USER_POOL_ID);
  });
});

describe('.dockerignore', () => {
  it('keeps local state, build output and secrets out of the build context', () => {
    const entries = read('.dockerignore')
      .split('\n')
      .map((l) => l.trim().replace(/\/$/, ''))
      .filter((l) => l && !l.startsWith('#'));
    expect(entries).toEqual(
      expect.arrayContaining(['node_modules', 'dist', '.git', '.local', 'coverage', 'infra/cdk.out']),
    );
  });
});
