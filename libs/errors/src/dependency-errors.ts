/** What a client is told to wait before retrying a request a dependency failed (it is usually back soon). */
export const DEPENDENCY_RETRY_AFTER_SECONDS = 2;

/**
 * A dependency (database, AWS service) could not be reached or did not answer in time: the request
 * did nothing and may succeed later. Thrown where the failing dependency is known by name; the
 * drivers' own errors are recognised as well (`unavailableDependency`).
 */
export class DependencyUnavailable extends Error {
  constructor(
    readonly dependency: string,
    message = `${dependency} is unavailable`,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = 'DependencyUnavailable';
  }
}

/**
 * MariaDB refusing work it would do a moment later: too many connections, shutting down, this
 * connection killed; and a lock-wait timeout or deadlock that outlasted the transaction's reruns
 * (a row held that long is contention, and the server rolled the work back). (Lost, reset, refused
 * or timed-out connections are mysql2's `fatal` errors.)
 */
const MYSQL_UNAVAILABLE_ERRNOS = new Set([1040, 1053, 1203, 1205, 1213, 1927]);

/** mysql2's error when a query meets a pool that was closed (the app is stopping). */
const POOL_CLOSED = 'Pool is closed.';

function isMysqlUnavailable(err: unknown): boolean {
  // TypeORM wraps the driver's error (QueryFailedError.driverError).
  const e = ((err as { driverError?: unknown })?.driverError ?? err) as {
    fatal?: unknown;
    errno?: unknown;
    message?: unknown;
  };
  return (
    e?.fatal === true ||
    (typeof e?.errno === 'number' && MYSQL_UNAVAILABLE_ERRNOS.has(e.errno)) ||
    e?.message === POOL_CLOSED
  );
}

/** An AWS service's answers that mean "later": it is overloaded or throttling us (after the SDK's retries). */
const AWS_UNAVAILABLE_NAMES = new Set([
  'ThrottlingException',
  'ProvisionedThroughputExceededException',
  'RequestLimitExceeded',
]);

/**
 * AWS SDK v3: every error a client's call ends with carries `$metadata`. Without an HTTP status the
 * service never answered (refused, reset, timed out: TimeoutError, ECONNREFUSED…); a server fault
 * (5xx: InternalServerError, ServiceUnavailable) or throttling is the service's own "try later".
 */
function isAwsUnavailable(err: unknown): boolean {
  const e = err as { $metadata?: { httpStatusCode?: number }; $fault?: unknown; name?: unknown };
  if (typeof e?.$metadata !== 'object') return false;
  return (
    e.$metadata.httpStatusCode === undefined ||
    e.$fault === 'server' ||
    (typeof e.name === 'string' && AWS_UNAVAILABLE_NAMES.has(e.name))
  );
}

/** Which dependency `err` says is unavailable (mariadb, aws or a named one), or undefined if it says nothing of the kind. */
export function unavailableDependency(err: unknown): string | undefined {
  if (err instanceof DependencyUnavailable) return err.dependency;
  if (isMysqlUnavailable(err)) return 'mariadb';
  if (isAwsUnavailable(err)) return 'aws';
  return undefined;
}

/**
 * `err` as a DependencyUnavailable naming `dependency` when it is an unavailability (so the log says
 * which AWS service it was), else `err` unchanged.
 */
export function asDependencyFailure(dependency: string, err: unknown): unknown {
  if (err instanceof DependencyUnavailable || unavailableDependency(err) === undefined) return err;
  return new DependencyUnavailable(dependency, (err as Error).message, { cause: err });
}
