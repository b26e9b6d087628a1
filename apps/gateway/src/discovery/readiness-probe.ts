import { Agent, request } from 'undici';
import { failureReason } from '@paychat/errors';

/** Why an address is not ready (its status or error code), or undefined when it is. */
export type ProbeResult = string | undefined;

/**
 * Asks one address `GET /health/ready`. Each probe opens a fresh connection (no keep-alive), so a
 * ready answer also proves that the listener still accepts the connections requests will need.
 */
export class ReadinessProbe {
  private readonly agent = new Agent({ pipelining: 0 }); // 0: no keep-alive

  constructor(private readonly timeoutMs: number) {}

  async check(origin: string): Promise<ProbeResult> {
    try {
      const res = await request(`${origin}/health/ready`, {
        dispatcher: this.agent,
        signal: AbortSignal.timeout(this.timeoutMs),
      });
      await res.body.dump();
      return res.statusCode >= 200 && res.statusCode < 300 ? undefined : `status ${res.statusCode}`;
    } catch (err) {
      // A refusal's code (ECONNREFUSED…), else the error's name (TimeoutError when it did not answer).
      return failureReason(err);
    }
  }

  close(): Promise<void> {
    return this.agent.close();
  }
}
