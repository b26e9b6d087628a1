import type mysql from 'mysql2/promise';
import { exited, httpOk } from '../../scripts/local/processes';
import type { AppInstance, RestartableDynamo } from './full-stack';

/** ECS's default stop timeout: a task still running this long after SIGTERM gets SIGKILL. */
const STOP_TIMEOUT_MS = 30_000;

export type Progress = (line: string) => void;
export type Steps = Record<string, unknown>[];

const since = (start: number) => Date.now() - start;

/** Starts an instance again and says how long it took to be ready. */
async function startAgain(instance: AppInstance): Promise<number> {
  const start = Date.now();
  await instance.start();
  return since(start);
}

/**
 * How ECS replaces each task on a deploy, one at a time: SIGTERM (to the process, as to PID 1),
 * SIGKILL if it is still running after the stop timeout, then the new task, until its
 * `/health/ready` answers 200. Per instance: when readiness failed after SIGTERM, when it exited
 * and how, and how long the new one took to be ready.
 */
export async function rollingRestart(instances: AppInstance[], progress: Progress): Promise<Steps> {
  const steps: Steps = [];
  for (const instance of instances) {
    const child = instance.child();
    const start = Date.now();
    let readyFailedAfterMs: number | undefined;
    const gone = exited(child);
    let exitedYet = false;
    void gone.then(() => (exitedYet = true));
    const watchReadiness = (async () => {
      while (!exitedYet && readyFailedAfterMs === undefined) {
        if (!(await httpOk(`${instance.url}/health/ready`))) readyFailedAfterMs = since(start);
        else await new Promise((resolve) => setTimeout(resolve, 50));
      }
    })();
    child.kill('SIGTERM');
    const timer = setTimeout(() => child.kill('SIGKILL'), STOP_TIMEOUT_MS);
    await gone;
    clearTimeout(timer);
    await watchReadiness;
    const exitMs = since(start);
    const step = {
      instance: instance.name,
      readyFailedAfterMs: readyFailedAfterMs ?? null,
      exitMs,
      exit: child.signalCode ?? child.exitCode,
      readyMs: await startAgain(instance),
    };
    progress(`    ${JSON.stringify(step)}`);
    steps.push(step);
  }
  return steps;
}

/** `kill -9` of each of `instances` at once, then each started again (as ECS replaces a task that died). */
export async function killAndRestart(instances: AppInstance[], progress: Progress): Promise<Steps> {
  await Promise.all(
    instances.map(async (instance) => {
      const child = instance.child();
      child.kill('SIGKILL');
      await exited(child);
    }),
  );
  progress(`    killed ${instances.map((i) => i.name).join(', ')}`);
  return Promise.all(
    instances.map(async (instance) => ({ instance: instance.name, readyMs: await startAgain(instance) })),
  );
}

/** Every connection of the wallet's pools to `database`, killed by the server (as a failover or a restart of MariaDB would). */
export async function dropDbConnections(admin: mysql.Connection, database: string): Promise<Steps> {
  const [rows] = (await admin.query(
    `SELECT ID AS id FROM information_schema.PROCESSLIST WHERE USER = 'paychat_app' AND DB = ?`,
    [database],
  )) as unknown as [{ id: number }[]];
  for (const { id } of rows) await admin.query('KILL CONNECTION ?', [id]).catch(() => undefined); // it may have closed meanwhile
  return [{ killedConnections: rows.length }];
}

/** DynamoDB Local stopped (its process group killed), then started again on its data. */
export async function restartDynamo(dynamo: RestartableDynamo, progress: Progress): Promise<Steps> {
  await dynamo.stop();
  progress('    DynamoDB Local stopped');
  const start = Date.now();
  await dynamo.start();
  return [{ readyMs: since(start) }];
}
