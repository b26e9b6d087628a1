import 'reflect-metadata';
import type { Sql } from '../db/sql';
import type { IdempotentOperation, Operation } from '../idempotency/idempotent-operation';
import type { OperationResult } from '../idempotency/operation-result';

type Class<T = unknown> = abstract new (...args: never[]) => T;

/** An object with a jest.fn for every method of `type` (answering undefined until a test says otherwise). */
function mockOf<T>(type: Class<T>): jest.Mocked<T> {
  const mock: Record<string, jest.Mock> = {};
  for (
    let proto = type.prototype;
    proto && proto !== Object.prototype;
    proto = Object.getPrototypeOf(proto)
  ) {
    for (const [name, property] of Object.entries(Object.getOwnPropertyDescriptors(proto))) {
      if (name !== 'constructor' && typeof property.value === 'function') mock[name] ??= jest.fn();
    }
  }
  return mock as unknown as jest.Mocked<T>;
}

export interface TestService<T> {
  /** The service under test, built with a mock for each of its constructor's dependencies. */
  sut: T;
  /** The mock given for the dependency of this type, to program and to assert on. */
  mock<D>(type: Class<D>): jest.Mocked<D>;
}

/**
 * A unit-tier service: the class itself, every port it is constructed with mocked (found from its
 * constructor's parameter types, as Nest finds them), so a test exercises its logic with no I/O.
 */
export function newTestService<T>(Service: new (...args: never[]) => T): TestService<T> {
  const types = (Reflect.getMetadata('design:paramtypes', Service) ?? []) as Class[];
  const mocks = new Map<Class, unknown>(types.map((type) => [type, mockOf(type)]));
  return {
    sut: new Service(...(types.map((type) => mocks.get(type)) as never[])),
    mock<D>(type: Class<D>) {
      if (!mocks.has(type)) throw new Error(`${Service.name} is not constructed with ${type.name}`);
      return mocks.get(type) as jest.Mocked<D>;
    },
  };
}

/** A connection whose every query finds nothing (`[]`) until a test programs it; `sent` lists its round trips. */
export function fakeSql() {
  const query = jest.fn<Promise<unknown>, [sql: string, params?: unknown[]]>().mockResolvedValue([]);
  return {
    sql: { query } satisfies Sql,
    query,
    /** Each round trip's SQL, in order. */
    sent: () => query.mock.calls.map(([sql]) => sql),
  };
}

/**
 * The mocked IdempotentOperation runs the operation's business step on `sql` (or, with 'replay',
 * answers from its money row, as when a key's cached answer expired): the claim, savepoint and
 * commit are IdempotentOperation's own tests' business.
 */
export function runsOperations(
  idempotent: jest.Mocked<IdempotentOperation>,
  sql: Sql,
  step: keyof Operation<unknown> = 'run',
): void {
  idempotent.execute.mockImplementation(
    async (_userId, _scope, _body, operation) => (await operation[step](sql)) as OperationResult<never>,
  );
}
