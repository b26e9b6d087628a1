import { Duration } from 'aws-cdk-lib';

/**
 * Graceful-drain numbers, in one place because they only work together (infra/README.md "Graceful drain").
 *
 * 1. ECS deregisters a stopping task from its ALB target group and waits DEREGISTRATION_DELAY (the ALB
 *    sends it nothing new), and from Cloud Map (callers' cached DNS answers expire within DNS_TTL).
 * 2. SIGTERM: the app fails readiness at once (the gateway's probes, about every second, stop routing
 *    to it) and answers its waiting long-polls, then keeps serving for SHUTDOWN_GRACE (≥ both of the
 *    above, for the paths that skip step 1, such as a failed health check).
 * 3. It closes: late requests get a 503 with Retry-After, in-flight ones finish, background jobs get at
 *    most a second, pools close, exit 0. STOP_TIMEOUT after SIGTERM comes SIGKILL: room for the grace
 *    plus LONGEST_REQUEST (one that began in the grace period; long-polls have already answered).
 *
 * The apps keep idle connections 65 s (libs/platform), above the ALB's 60 s idle timeout, so the ALB
 * always closes an idle connection first and never sends a request into one the app is closing.
 * Locally (no ALB) only the gateway's probes need the grace: SHUTDOWN_GRACE_MS defaults to 3 s.
 */
export const DEREGISTRATION_DELAY = Duration.seconds(30);
export const DNS_TTL = Duration.seconds(10);
export const SHUTDOWN_GRACE = Duration.seconds(30);
export const STOP_TIMEOUT = Duration.seconds(90);
export const ALB_IDLE_TIMEOUT = Duration.seconds(60);
/** A request's body may take HTTP_REQUEST_TIMEOUT_MS (30 s) to arrive; upstream calls end within 10 s. */
export const LONGEST_REQUEST = Duration.seconds(40);
