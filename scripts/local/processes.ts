import { ChildProcess, spawn } from 'node:child_process';
import { createWriteStream, existsSync, mkdirSync } from 'node:fs';
import { connect } from 'node:net';
import { dirname, join } from 'node:path';
import { createInterface } from 'node:readline';
import { Readable, Writable } from 'node:stream';

/** Children we started; SIGKILLed on exit as a last resort, so a crash never leaves a java or node behind. */
const running = new Set<ChildProcess>();
/** The last output lines of each child, to explain a failed start. */
const tails = new WeakMap<ChildProcess, string[]>();
process.once('exit', () => {
  for (const child of running) signalGroup(child, 'SIGKILL');
});

/** Output of a child: appended to `logFile` if given; the last lines kept to explain a failed start. */
export interface ChildOutput {
  logFile?: string;
  /** Called per line instead of (or as well as) the log file, e.g. to prefix it on our stdout. */
  onLine?: (line: string, stream: 'stdout' | 'stderr') => void;
}

/**
 * Spawns a child in its own process group (`detached`): a terminal's Ctrl-C then reaches only us,
 * so we stop the children in order, and stopChild() can kill grandchildren too.
 */
export function spawnChild(
  command: string,
  args: string[],
  opts: ChildOutput & { cwd?: string; env?: NodeJS.ProcessEnv },
): ChildProcess {
  const child = spawn(command, args, {
    cwd: opts.cwd,
    env: opts.env,
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  return adoptChild(child, opts);
}

/** Tracks a child spawned elsewhere (with piped output) and routes its output. */
export function adoptChild(child: ChildProcess, out: ChildOutput): ChildProcess {
  running.add(child);
  child.once('exit', () => running.delete(child));
  const tail: string[] = [];
  tails.set(child, tail);
  child.once('error', (err) => {
    running.delete(child);
    tail.push(err.message); // e.g. `spawn java ENOENT`: the command is missing
  });
  const log = out.logFile ? openLog(out.logFile) : undefined;
  const follow = (stream: Readable | null, name: 'stdout' | 'stderr') => {
    if (!stream) return;
    createInterface({ input: stream, crlfDelay: Infinity }).on('line', (line) => {
      log?.write(line + '\n');
      out.onLine?.(line, name);
      tail.push(line);
      if (tail.length > 20) tail.shift();
    });
  };
  follow(child.stdout, 'stdout');
  follow(child.stderr, 'stderr');
  child.once('exit', () => log?.end());
  return child;
}

function openLog(file: string): Writable {
  mkdirSync(dirname(file), { recursive: true });
  const log = createWriteStream(file, { flags: 'a' });
  log.write(`--- started ${new Date().toISOString()}\n`);
  return log;
}

/** True once the child has exited, or if it never started (spawn error). */
export function hasExited(child: ChildProcess): boolean {
  return child.exitCode !== null || child.signalCode !== null || child.pid === undefined;
}

/** Resolves when the child has exited (at once if it already has). */
export function exited(child: ChildProcess): Promise<void> {
  if (hasExited(child)) return Promise.resolve();
  return new Promise((resolve) => child.once('exit', () => resolve()));
}

/** SIGTERM to the child's group, SIGKILL after `graceMs`; resolves once the child has exited. */
export async function stopChild(child: ChildProcess, graceMs = 5000): Promise<void> {
  if (hasExited(child)) return;
  const done = exited(child);
  signalGroup(child, 'SIGTERM');
  const timer = setTimeout(() => signalGroup(child, 'SIGKILL'), graceMs);
  await done;
  clearTimeout(timer);
  signalGroup(child, 'SIGKILL'); // anything left in the group (no-op if empty)
}

function signalGroup(child: ChildProcess, signal: NodeJS.Signals): void {
  if (child.pid === undefined) return;
  try {
    process.kill(-child.pid, signal);
  } catch {
    // ESRCH: the group is already gone
  }
}

/** True if something accepts TCP connections on host:port. */
export function tcpOpen(host: string, port: number, timeoutMs = 1000): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ host, port });
    const finish = (open: boolean) => {
      socket.destroy();
      resolve(open);
    };
    socket.setTimeout(timeoutMs, () => finish(false));
    socket.once('connect', () => finish(true));
    socket.once('error', () => finish(false));
  });
}

/** Refuses to start on a busy port: a leftover server there would otherwise pass our readiness probe. */
export async function assertPortFree(port: number, what: string): Promise<void> {
  if (await tcpOpen('127.0.0.1', port)) {
    throw new Error(
      `Port ${port} (${what}) is already in use: is another \`npm run dev\` or a leftover process running? (try \`ss -ltnp 'sport = :${port}'\`)`,
    );
  }
}

/** True if `url` answers with a 2xx status. */
export async function httpOk(url: string, init?: RequestInit): Promise<boolean> {
  try {
    const res = await fetch(url, { ...init, signal: AbortSignal.timeout(2000) });
    await res.arrayBuffer();
    return res.ok;
  } catch {
    return false;
  }
}

/**
 * Polls `probe` until it returns true. Fails after `timeoutMs`, or at once if `child` exits first,
 * with the child's last output lines so the reason is visible without opening the log.
 */
export async function waitFor(
  what: string,
  probe: () => Promise<boolean>,
  opts: { timeoutMs: number; child?: ChildProcess; logFile?: string },
): Promise<void> {
  const deadline = Date.now() + opts.timeoutMs;
  for (;;) {
    if (await probe()) return;
    if (opts.child && hasExited(opts.child)) throw startFailure(`${what} exited before it was ready`, opts);
    if (Date.now() > deadline)
      throw startFailure(`${what} was not ready after ${opts.timeoutMs / 1000} s`, opts);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

function startFailure(message: string, opts: { child?: ChildProcess; logFile?: string }): Error {
  const tail = opts.child ? (tails.get(opts.child) ?? []) : [];
  const lines = [message + (opts.logFile ? ` (log: ${opts.logFile})` : '')];
  if (tail.length) lines.push('last output:', ...tail.map((l) => '  ' + l));
  return new Error(lines.join('\n'));
}

/** The repository root: the nearest folder above `from` with a package.json (works from scripts/ and dist/scripts/). */
export function repoRoot(from = __dirname): string {
  for (let dir = from; ; dir = dirname(dir)) {
    if (existsSync(join(dir, 'package.json'))) return dir;
    if (dirname(dir) === dir) throw new Error(`No package.json above ${from}`);
  }
}
