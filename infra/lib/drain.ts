import { Duration } from 'aws-cdk-lib';

/**
 * Graceful-drain numbers, in one place because they only work together (infra/README.md "Graceful drain").
 *
 * 1. ECS deregisters a stopping task from its ALB target group and waits DEREGISTRATION_DELAY (the ALB
 *    sends it nothing new), and from Cloud Map (callers' cached DNS answers expire within DNS_TTL).
 * 2. SIGTERM: the app fails readiness and waits SHUTDOWN_GRACE (≥ both of the above, for the paths that
 *    skip step 1, such as a failed health check), then stops accepting and finishes in-flight requests.
 * 3. STOP_TIMEOUT after SIGTERM comes SIGKILL: room for the grace plus LONGEST_REQUEST (a 25 s
 *    long-poll; upstream calls time out after 10 s).
 *
 * The apps keep idle connections 65 s (libs/platform), above the ALB's 60 s idle timeout, so the ALB
 * always closes an idle connection first and never sends a request into one the app is closing.
 */
export const DEREGISTRATION_DELAY = Duration.seconds(30);
export const DNS_TTL = Duration.seconds(10);
export const SHUTDOWN_GRACE = Duration.seconds(30);
export const STOP_TIMEOUT = Duration.seconds(90);
export const ALB_IDLE_TIMEOUT = Duration.seconds(60);
export const LONGEST_REQUEST = Duration.seconds(25);
