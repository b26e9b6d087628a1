import { IsIn, Matches } from 'class-validator';
import { Amount } from '../transfers/transfers.dto';

export class StartAtmDto {
  @IsIn(['charge', 'withdrawal'])
  kind!: 'charge' | 'withdrawal';

  @Amount()
  amount!: number;
}

/** What the ATM network sends when a customer keys in a code (signed service call). */
export class AtmConfirmationDto {
  @Matches(/^\d{8}$/, { message: 'code must be 8 digits' })
  code!: string;

  /** The network's own id for this confirmation: a resent confirmation is answered, not applied again. */
  @Matches(/^[A-Za-z0-9-]{1,64}$/, { message: 'reference must be 1–64 letters, digits or dashes' })
  reference!: string;

  @IsIn(['approved', 'declined'])
  outcome!: 'approved' | 'declined';
}

export interface AtmSessionView {
  id: string;
  kind: 'charge' | 'withdrawal';
  amount: number;
  status: 'pending' | 'completed' | 'failed' | 'expired';
  expiresAt: string;
  /** Shown once, to the user who started the session; stored only as a hash. */
  code?: string;
}

/** The answer to the ATM network: `failed` with `limit_exceeded` = declined, the ATM returns the cash. */
export interface AtmConfirmationView extends AtmSessionView {
  failureReason?: 'limit_exceeded';
}
