import { failureReason, rootCause } from './failure-reason';

const withCode = (message: string, code: string) => Object.assign(new Error(message), { code });

describe('failureReason: why a dependency failed, safe to show', () => {
  it('is the innermost error code, through causes and TypeORM’s driverError', () => {
    const refused = withCode('connect ECONNREFUSED 10.0.1.5:3306', 'ECONNREFUSED');
    expect(failureReason(refused)).toBe('ECONNREFUSED');
    expect(failureReason(new TypeError('fetch failed', { cause: refused }))).toBe('ECONNREFUSED');
    const queryFailed = Object.assign(new Error('Query failed'), {
      driverError: withCode("Access denied for user 'paychat'@'10.0.1.9'", 'ER_ACCESS_DENIED_ERROR'),
    });
    expect(failureReason(queryFailed)).toBe('ER_ACCESS_DENIED_ERROR');
  });

  it('is a specific error name when there is no code', () => {
    expect(failureReason(new DOMException('The operation timed out', 'TimeoutError'))).toBe('TimeoutError');
    const notFound = Object.assign(new Error('Requested resource not found'), {
      name: 'ResourceNotFoundException',
    });
    expect(failureReason(notFound)).toBe('ResourceNotFoundException');
  });

  it('is the message of a plain error, without any URL (it may carry a password), and short', () => {
    expect(failureReason(new Error('no instances of wallet'))).toBe('no instances of wallet');
    expect(failureReason(new Error('cannot reach redis://:hunter2@cache:6379 now'))).toBe(
      'cannot reach [url] now',
    );
    expect(failureReason(new Error('x'.repeat(1000)))).toHaveLength(200);
    expect(failureReason('postgres://u:p@db down')).toBe('[url] down');
  });
});

describe('rootCause: the innermost code and message, for logs', () => {
  it('joins the code and the message of the innermost cause', () => {
    const inner = withCode('connect ECONNREFUSED 10.0.1.5:3306', 'ECONNREFUSED');
    expect(rootCause(new Error('outer', { cause: inner }))).toBe(
      'ECONNREFUSED: connect ECONNREFUSED 10.0.1.5:3306',
    );
  });
});
