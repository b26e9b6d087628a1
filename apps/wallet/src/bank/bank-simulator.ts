import type { BankAccountDetails, BankGateway, BankOutcome } from './bank-gateway';

export interface BankSimulatorOptions {
  latencyMs: number;
  /** 0…1: share of pulls/pushes the bank declines. */
  declineRate: number;
  /** 0…1: share of pulls, pushes and voids whose answer is lost: the bank acted, we never heard. */
  timeoutRate: number;
  random?: () => number;
}

class LostAnswer extends Error {
  constructor() {
    super('bank did not answer in time');
  }
}

/**
 * A local stand-in for the partner bank: decides once per reference (so retries and getStatus see
 * the same outcome), with configurable latency, declines and lost answers. By default it verifies
 * and approves at once.
 */
export class BankSimulator implements BankGateway {
  private readonly decided = new Map<string, BankOutcome>();
  /** References of the pulls the bank has given back (each once, however often asked). */
  readonly voided = new Set<string>();

  /** Mutable so tests and demos can change the bank's mood at run time. */
  constructor(public options: BankSimulatorOptions) {}

  async verifyAccount(_ref: string, _account: BankAccountDetails): Promise<'verified'> {
    await this.delay();
    return 'verified';
  }

  pull(ref: string, _bankAccountRef: string, _amount: number): Promise<BankOutcome> {
    return this.transact(ref);
  }

  push(ref: string, _bankAccountRef: string, _amount: number): Promise<BankOutcome> {
    return this.transact(ref);
  }

  async getStatus(ref: string): Promise<BankOutcome> {
    await this.delay();
    return this.decided.get(ref) ?? { status: 'declined', reason: 'unknown_reference' };
  }

  async void(ref: string): Promise<void> {
    await this.delay();
    if (this.decided.get(ref)?.status !== 'approved') throw new Error(`no approved pull ${ref} to void`);
    this.voided.add(ref);
    this.maybeLoseAnswer();
  }

  /** How many distinct references the bank has processed (each moves money once). */
  get processed(): number {
    return this.decided.size;
  }

  private async transact(ref: string): Promise<BankOutcome> {
    await this.delay();
    const random = this.options.random ?? Math.random;
    let outcome = this.decided.get(ref);
    if (!outcome) {
      outcome =
        random() < this.options.declineRate
          ? { status: 'declined', reason: 'insufficient_bank_balance' }
          : { status: 'approved' };
      this.decided.set(ref, outcome);
    }
    this.maybeLoseAnswer();
    return outcome;
  }

  private maybeLoseAnswer(): void {
    if ((this.options.random ?? Math.random)() < this.options.timeoutRate) throw new LostAnswer();
  }

  private delay(): Promise<void> {
    return this.options.latencyMs > 0
      ? new Promise((r) => setTimeout(r, this.options.latencyMs))
      : Promise.resolve();
  }
}
