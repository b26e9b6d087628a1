/** One direction's secret: `caller` signs its calls to `target` with it, and only the two of them hold it. */
export interface PairKey {
  caller: string;
  target: string;
  secret: string;
}

/** `caller>target:secret` — the INTERNAL_SECRETS entry format (names lower-case, secret ≥ 16 chars). */
export const PAIR_ENTRY = /^([a-z][a-z0-9-]*)>([a-z][a-z0-9-]*):([^,:\s]{16,})$/;

/**
 * One service's view of INTERNAL_SECRETS: the pair keys it signs its own calls with and the ones it
 * checks its callers' calls against. Entries naming neither end as this service are ignored, so every
 * local process can share one value; in AWS each service is given only its own pairs.
 */
export class ServiceKeys {
  private constructor(
    readonly self: string,
    private readonly outgoing: ReadonlyMap<string, string>,
    private readonly incoming: ReadonlyMap<string, readonly string[]>,
  ) {}

  /** Parses `caller>target:secret,…`; a pair listed twice is a rotation (see `secretsFrom`, `signingKey`). */
  static parse(spec: string, self: string): ServiceKeys {
    const outgoing = new Map<string, string>();
    const incoming = new Map<string, string[]>();
    for (const entry of spec.split(',').filter(Boolean)) {
      const match = PAIR_ENTRY.exec(entry);
      if (!match)
        throw new Error('INTERNAL_SECRETS entries must be caller>target:secret (secret ≥ 16 chars)');
      const [, caller, target, secret] = match;
      if (caller === self && !outgoing.has(target)) outgoing.set(target, secret);
      if (target === self) incoming.set(caller, [...(incoming.get(caller) ?? []), secret]);
    }
    return new ServiceKeys(self, outgoing, incoming);
  }

  /** The key for our calls to `target` (the pair's first secret); a missing pair is a startup error. */
  signingKey(target: string): PairKey {
    const secret = this.outgoing.get(target);
    if (!secret) throw new Error(`INTERNAL_SECRETS has no ${this.self}>${target} secret`);
    return { caller: this.self, target, secret };
  }

  /** Every secret `caller` may sign its calls to us with: one, or two while the pair is rotated. */
  secretsFrom(caller: string): readonly string[] {
    return this.incoming.get(caller) ?? [];
  }
}
