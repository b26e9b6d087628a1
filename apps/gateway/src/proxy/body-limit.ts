import { pipeline, Readable, Transform } from 'node:stream';
import { AppError } from '@paychat/errors';
import { BODY_LIMIT_BYTES } from '@paychat/platform';

export const payloadTooLarge = () =>
  new AppError('payload_too_large', `A request body may not exceed ${BODY_LIMIT_BYTES} bytes`);

/**
 * The proxy streams bodies instead of parsing them, so Fastify's bodyLimit never sees them: this
 * holds the same limit. A declared length over it is refused before a byte is read; a chunked body
 * is counted as it passes and cut with 413 at the limit, whether it is streamed upstream or
 * buffered for a retry.
 */
export function limitedBody(declaredLength: string | undefined, payload: Readable): Readable {
  if (Number(declaredLength) > BODY_LIMIT_BYTES) throw payloadTooLarge();
  let seen = 0;
  const counter = new Transform({
    transform(chunk: Buffer, _encoding, callback) {
      seen += chunk.length;
      callback(seen > BODY_LIMIT_BYTES ? payloadTooLarge() : null, chunk);
    },
  });
  // pipeline: a client that aborts mid-body fails the counted stream too, instead of leaving it hanging.
  return pipeline(payload, counter, () => undefined);
}
