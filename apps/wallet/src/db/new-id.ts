import { randomFillSync } from 'node:crypto';
import { ulid } from 'ulid';

const pool = Buffer.alloc(4096);
let next = pool.length;

/** ulid's default PRNG asks the OS for one byte per character (16 calls per id); draw from a pool. */
function pooledRandom(): number {
  if (next >= pool.length) {
    randomFillSync(pool);
    next = 0;
  }
  return pool[next++] / 256;
}

/** A new ULID: sortable by creation time, 80 random bits. */
export const newId = (): string => ulid(undefined, pooledRandom);
