import { createServer as createHttpServer } from 'node:http';
import { AddressInfo, createServer, Server, Socket } from 'node:net';
import { DescribeTableCommand, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { BadRequestException } from '@nestjs/common';
import mysql from 'mysql2/promise';
import { DataSource } from 'typeorm';
import { AppError } from './app-error';
import { asDependencyFailure, DependencyUnavailable, unavailableDependency } from './dependency-errors';
import { classify } from './problem.filter';

/** The error a promise ends with (each test makes the driver fail for real). */
async function failure(promise: Promise<unknown>): Promise<unknown> {
  return promise.then(
    () => {
      throw new Error('expected a failure');
    },
    (err: unknown) => err,
  );
}

async function listening(server: Server | ReturnType<typeof createHttpServer>): Promise<number> {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return (server.address() as AddressInfo).port;
}

/** A port nothing listens on: connections are refused. */
async function closedPort(): Promise<number> {
  const server = createServer();
  const port = await listening(server);
  await new Promise((resolve) => server.close(resolve));
  return port;
}

describe('unavailableDependency (errors captured from the real drivers)', () => {
  /** Accepts connections and never answers: a hung server. */
  const held = new Set<Socket>();
  const blackHole = createServer((socket) => held.add(socket));
  let holePort: number;
  let refusedPort: number;
  beforeAll(async () => {
    holePort = await listening(blackHole);
    refusedPort = await closedPort();
  });
  afterAll(async () => {
    for (const socket of held) socket.destroy();
    await new Promise((resolve) => blackHole.close(resolve));
  });

  describe('MariaDB (mysql2, TypeORM)', () => {
    const url = process.env.WALLET_DB_URL!;
    let admin: mysql.Connection;
    let dataSource: DataSource;
    beforeAll(async () => {
      admin = await mysql.createConnection({ uri: process.env.MYSQL_URL ?? 'mysql://root@127.0.0.1:3306' });
      dataSource = await new DataSource({ type: 'mysql', url, poolSize: 2 }).initialize();
    });
    afterAll(async () => {
      await admin.end();
      if (dataSource.isInitialized) await dataSource.destroy();
    });

    it('a connection refused or timed out is mariadb', async () => {
      const refused = await failure(mysql.createConnection({ uri: url, port: refusedPort }));
      expect(refused).toMatchObject({ code: 'ECONNREFUSED', fatal: true });
      expect(unavailableDependency(refused)).toBe('mariadb');
      const timedOut = await failure(
        mysql.createConnection({ uri: url, port: holePort, connectTimeout: 200 }),
      );
      expect(timedOut).toMatchObject({ code: 'ETIMEDOUT', fatal: true });
      expect(unavailableDependency(timedOut)).toBe('mariadb');
    });

    it('a connection killed mid-query (TypeORM QueryFailedError) is mariadb', async () => {
      const [{ id }] = (await dataSource.query('SELECT CONNECTION_ID() AS id')) as [{ id: number }];
      // The pool's one idle connection runs the next query: kill it while the query sleeps.
      const sleeping = failure(dataSource.query('SELECT SLEEP(5)'));
      await new Promise((resolve) => setTimeout(resolve, 200));
      await admin.query(`KILL ${Number(id)}`);
      const lost = await sleeping;
      expect(lost).toMatchObject({
        name: 'QueryFailedError',
        driverError: { code: 'PROTOCOL_CONNECTION_LOST', fatal: true },
      });
      expect(unavailableDependency(lost)).toBe('mariadb');
    });

    it('a row lock held past the wait (the reruns exhausted) is mariadb: the work was rolled back and may succeed later', async () => {
      await admin.query('START TRANSACTION');
      try {
        const table = `${new URL(url).pathname.slice(1)}.typeorm_migrations`;
        await admin.query(`SELECT id FROM ${table} ORDER BY id LIMIT 1 FOR UPDATE`);
        const runner = dataSource.createQueryRunner();
        try {
          await runner.query('SET SESSION innodb_lock_wait_timeout = 1');
          const timedOut = await failure(
            runner.query(`SELECT id FROM ${table} ORDER BY id LIMIT 1 FOR UPDATE`),
          );
          expect(timedOut).toMatchObject({ driverError: { code: 'ER_LOCK_WAIT_TIMEOUT' } });
          expect(unavailableDependency(timedOut)).toBe('mariadb');
        } finally {
          await runner.release();
        }
      } finally {
        await admin.query('ROLLBACK');
      }
    });

    it('a closed pool is mariadb; a bad query (plain or wrapped) is not a dependency failure', async () => {
      const syntax = await failure(dataSource.query('SELEKT 1'));
      expect(syntax).toMatchObject({ name: 'QueryFailedError', driverError: { code: 'ER_PARSE_ERROR' } });
      expect(unavailableDependency(syntax)).toBeUndefined();
      expect(unavailableDependency((syntax as { driverError: unknown }).driverError)).toBeUndefined();

      const pool = mysql.createPool({ uri: url });
      await pool.end();
      const closed = await failure(pool.query('SELECT 1'));
      expect(closed).toMatchObject({ message: 'Pool is closed.' });
      expect(unavailableDependency(closed)).toBe('mariadb');
    });
  });

  describe('AWS SDK v3 (DynamoDB)', () => {
    const client = (endpoint: string, requestTimeout = 0) =>
      new DynamoDBClient({
        region: 'us-east-1',
        endpoint,
        credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
        maxAttempts: 1,
        requestHandler: { requestTimeout, throwOnRequestTimeout: true },
      });
    const describeTable = (endpoint: string, requestTimeout?: number) =>
      failure(client(endpoint, requestTimeout).send(new DescribeTableCommand({ TableName: 'missing' })));

    /** An endpoint answering every call with `status` and the given error type. */
    async function answering(status: number, type: string): Promise<[string, () => void]> {
      const server = createHttpServer((_req, res) =>
        res
          .writeHead(status, { 'content-type': 'application/x-amz-json-1.0' })
          .end(JSON.stringify({ __type: `com.amazonaws.dynamodb.v20120810#${type}`, message: type })),
      );
      const port = await listening(server);
      return [`http://127.0.0.1:${port}`, () => server.close()];
    }

    it('refused, timed out, a server fault or throttling is a dependency failure', async () => {
      const refused = await describeTable(`http://127.0.0.1:${refusedPort}`);
      // (Under Jest, Node's errors come from another realm: the SDK wraps them, keeping the message.)
      expect(refused).toMatchObject({
        message: expect.stringContaining('ECONNREFUSED'),
        $metadata: { attempts: 1 },
      });
      const timedOut = await describeTable(`http://127.0.0.1:${holePort}`, 300);
      expect(timedOut).toMatchObject({ name: 'TimeoutError', $metadata: {} });
      for (const err of [refused, timedOut]) expect(unavailableDependency(err)).toBe('aws');

      for (const [status, type] of [
        [500, 'InternalServerError'],
        [503, 'ServiceUnavailable'],
        [400, 'ThrottlingException'],
        [400, 'ProvisionedThroughputExceededException'],
      ] as const) {
        const [endpoint, close] = await answering(status, type);
        const err = await describeTable(endpoint);
        close();
        expect(err).toMatchObject({ name: type, $metadata: { httpStatusCode: status } });
        expect(unavailableDependency(err)).toBe('aws');
      }
    });

    it("the service's answers about the request itself are not", async () => {
      const notFound = await describeTable(process.env.DYNAMODB_ENDPOINT!);
      expect(notFound).toMatchObject({
        name: 'ResourceNotFoundException',
        $metadata: { httpStatusCode: 400 },
      });
      expect(unavailableDependency(notFound)).toBeUndefined();
    });

    it('asDependencyFailure names the service, and leaves anything else as it is', async () => {
      const refused = await describeTable(`http://127.0.0.1:${refusedPort}`);
      const named = asDependencyFailure('dynamodb', refused);
      expect(named).toBeInstanceOf(DependencyUnavailable);
      expect(named).toMatchObject({ dependency: 'dynamodb', cause: refused });
      expect(unavailableDependency(named)).toBe('dynamodb');
      const notFound = await describeTable(process.env.DYNAMODB_ENDPOINT!);
      expect(asDependencyFailure('dynamodb', notFound)).toBe(notFound);
    });
  });

  it('errors of our own making are none of these', () => {
    for (const err of [new Error('boom'), new TypeError('x is undefined'), new AppError('conflict'), null])
      expect(unavailableDependency(err)).toBeUndefined();
  });
});

describe('classify', () => {
  it('answers a dependency failure 503 service_unavailable with Retry-After, naming it for the log', () => {
    expect(classify(new DependencyUnavailable('mariadb'))).toEqual({
      code: 'service_unavailable',
      status: 503,
      headers: { 'retry-after': '2' },
      dependency: 'mariadb',
    });
  });

  it('leaves everything else as before', () => {
    expect(classify(new Error('boom'))).toBeUndefined();
    expect(classify(new BadRequestException('nope'))).toMatchObject({
      code: 'validation_failed',
      status: 400,
    });
  });
});
