import { join } from 'node:path';
import { Transform } from 'class-transformer';
import {
  IsBoolean,
  IsIn,
  IsInt,
  IsOptional,
  IsString,
  IsUrl,
  Matches,
  Max,
  Min,
  ValidateIf,
} from 'class-validator';
import { CognitoEnv } from '@paychat/auth';
import { toBool } from '@paychat/config';
import { DEFAULT_RATE_LIMITS, IsRateLimits } from './edge/rate-limits.config';

/** One URL, or several separated by commas (instances of one service without service discovery). */
const URL_LIST = /^https?:\/\/[^\s,]+(,https?:\/\/[^\s,]+)*$/;

export class GatewayEnv extends CognitoEnv {
  override PORT: number = 8080;

  /** `static`: the *_URL settings below. `dns`: Cloud Map, `<service>.<DISCOVERY_NAMESPACE>`. */
  @IsIn(['static', 'dns'])
  DISCOVERY: 'static' | 'dns' = 'static';

  @ValidateIf((env: GatewayEnv) => env.DISCOVERY === 'dns')
  @Matches(/^[a-z0-9-]+(\.[a-z0-9-]+)*$/, {
    message: 'DISCOVERY_NAMESPACE must be a DNS name (e.g. paychat.local)',
  })
  DISCOVERY_NAMESPACE?: string;

  @IsInt()
  @Min(1)
  @Max(65535)
  DISCOVERY_PORT: number = 3000;

  @Matches(URL_LIST, { message: 'LEGACY_URL must be one or more http(s) URLs separated by commas' })
  LEGACY_URL: string = 'http://127.0.0.1:3003';

  @Matches(URL_LIST, { message: 'WALLET_URL must be one or more http(s) URLs separated by commas' })
  WALLET_URL: string = 'http://127.0.0.1:3001';

  @Matches(URL_LIST, { message: 'MESSAGES_URL must be one or more http(s) URLs separated by commas' })
  MESSAGES_URL: string = 'http://127.0.0.1:3002';

  /**
   * How often each upstream address's `GET /health/ready` is asked: only ready addresses get
   * requests, so an instance failing readiness (from SIGTERM on) is drained within about this long.
   */
  @IsInt()
  @Min(100)
  @Max(60_000)
  UPSTREAM_PROBE_INTERVAL_MS: number = 1_000;

  /** A readiness probe not answered within this counts as not ready. */
  @IsInt()
  @Min(50)
  @Max(10_000)
  UPSTREAM_PROBE_TIMEOUT_MS: number = 1_000;

  /** The strangler route table (apps/gateway/routes.json, copied next to the build). */
  @IsString()
  GATEWAY_ROUTES_FILE: string = join(__dirname, '..', 'routes.json');

  /** Inline JSON entries replacing or adding routes of the file by prefix (carving needs no code). */
  @IsOptional()
  @IsString()
  GATEWAY_ROUTES?: string;

  /** How long an upstream may take to start answering before the caller gets a 504 (routes may override). */
  @IsInt()
  @Min(100)
  @Max(60_000)
  UPSTREAM_TIMEOUT_MS: number = 10_000;

  /**
   * Requests this instance serves at once (long-polls apart); over it, 429 too_many_in_flight. Each
   * may hold a body of up to 1 MiB while it is read, so this also bounds that memory.
   */
  @IsInt()
  @Min(1)
  EDGE_MAX_IN_FLIGHT: number = 512;

  /** Of those, from one client address: well above the per-user cap, as carrier NAT puts many users behind one. */
  @IsInt()
  @Min(1)
  EDGE_MAX_IN_FLIGHT_PER_IP: number = 256;

  /** Of those, by one signed-in user. */
  @IsInt()
  @Min(1)
  EDGE_MAX_IN_FLIGHT_PER_USER: number = 16;

  /** Long-polls this instance holds open at once, on each upstream's own pool (never the money routes' one). */
  @IsInt()
  @Min(1)
  LONG_POLL_MAX_IN_FLIGHT: number = 1024;

  /** Long-polls one user (or, without a token, one address) may hold open at once. */
  @IsInt()
  @Min(1)
  LONG_POLL_MAX_PER_USER: number = 4;

  /** Rate-limit counters shared by every gateway instance; in memory (per instance) when unset. */
  @IsOptional()
  @IsUrl({ require_tld: false, protocols: ['redis', 'rediss'] })
  REDIS_URL?: string;

  /** Requests per window, per IP and per user, by tier (auth, money, lookup, default). */
  @IsRateLimits()
  RATE_LIMITS: string = JSON.stringify(DEFAULT_RATE_LIMITS);

  @IsInt()
  @Min(1_000)
  @Max(3_600_000)
  RATE_LIMIT_WINDOW_MS: number = 60_000;

  /** The public API document served at /openapi.json and /docs (the build copies openapi/ along). */
  @IsString()
  OPENAPI_FILE: string = join(__dirname, '..', '..', '..', 'openapi', 'paychat.yaml');

  /** Confirm sign-ups at once (local stack only: skips the emailed code). */
  @Transform(toBool)
  @IsBoolean()
  AUTH_AUTO_CONFIRM: boolean = false;
}
