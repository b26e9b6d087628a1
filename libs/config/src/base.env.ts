import 'reflect-metadata'; // the decorators below need it, whoever imports this first
import { Transform } from 'class-transformer';
import { IsBoolean, IsIn, IsInt, IsNotEmpty, IsString, Matches, Max, Min } from 'class-validator';

/** Reads the raw value: implicit conversion would turn the string "false" into `true`. */
export const toBool = ({ obj, key }: { obj: Record<string, unknown>; key: string }) =>
  typeof obj[key] === 'string' ? obj[key] === 'true' || obj[key] === '1' : obj[key];

/** Settings every paychat process shares. Apps extend this with their own (config per app, small). */
export class BaseEnv {
  static readonly requiredInProduction: readonly string[] = ['INTERNAL_SECRETS'];

  @IsIn(['development', 'test', 'production'])
  NODE_ENV: 'development' | 'test' | 'production' = 'development';

  @IsString()
  @IsNotEmpty()
  HOST: string = '0.0.0.0';

  @IsInt()
  @Min(1)
  @Max(65535)
  PORT: number = 3000;

  /**
   * Where `GET /metrics` (Prometheus text) is served, apart from the app's port so the load balancer
   * never exposes it: 9464 in production (the collector sidecar scrapes it); 0 = not served (tests).
   */
  @IsInt()
  @Min(0)
  @Max(65535)
  METRICS_PORT: number = 0;

  @IsIn(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'])
  LOG_LEVEL: string = 'info';

  /** Human-readable logs; only for a person at a terminal (the dev runner sets it on a TTY). */
  @Transform(toBool)
  @IsBoolean()
  LOG_PRETTY: boolean = false;

  /**
   * How many proxies in front of this app append to X-Forwarded-For: the client address is the entry
   * that many from the right (one ALB in production; none locally). Entries further left are the
   * client's own claims and are never trusted: rate limits key on this address.
   */
  @IsInt()
  @Min(0)
  @Max(5)
  TRUST_PROXY_HOPS: number = 0;

  /** A client must send its request headers within this (slowloris). */
  @IsInt()
  @Min(100)
  @Max(120_000)
  HTTP_HEADERS_TIMEOUT_MS: number = 10_000;

  /** …and its whole request, body included, within this (an unfinished upload is cut with 408). */
  @IsInt()
  @Min(100)
  @Max(300_000)
  HTTP_REQUEST_TIMEOUT_MS: number = 30_000;

  /**
   * Between failing readiness (SIGTERM) and closing the server: callers must stop sending first.
   * Locally the gateway's readiness probes (about every second) decide, so 3 s; production waits
   * for the ALB and Cloud Map too (infra/lib/drain.ts).
   */
  @IsInt()
  @Min(0)
  @Max(120_000)
  SHUTDOWN_GRACE_MS: number = 3_000;

  /**
   * Service-to-service signing secrets, one per caller→target pair: `caller>target:secret` entries
   * separated by commas. A service signs its calls to `target` with its `self>target` secret and checks
   * `/internal/*` calls against the `caller>self` ones (a pair listed twice: both accepted, the first
   * signs — for rotation). Each service needs only its own pairs; the local default holds them all.
   */
  @Matches(/^[a-z][a-z0-9-]*>[a-z][a-z0-9-]*:[^,:\s]{16,}(,[a-z][a-z0-9-]*>[a-z][a-z0-9-]*:[^,:\s]{16,})*$/, {
    message:
      'INTERNAL_SECRETS must be caller>target:secret entries (secret ≥ 16 chars) separated by commas, e.g. gateway>wallet:…',
  })
  INTERNAL_SECRETS: string = [
    'gateway>wallet:local-gateway-to-wallet-secret',
    'gateway>messages:local-gateway-to-messages-secret',
    'gateway>legacy:local-gateway-to-legacy-secret',
    'messages>wallet:local-messages-to-wallet-secret',
    'wallet>messages:local-wallet-to-messages-secret',
    'atm-network>wallet:local-atm-network-to-wallet-secret',
    'user-migration>legacy:local-user-migration-to-legacy-secret',
  ].join(',');
}
