import type { LimitsView } from '../limits/limits';

export interface WalletView {
  accountId: string;
  balance: number;
  currency: 'JPY';
  status: string;
  kycLevel: string;
  limits: LimitsView;
}

export interface TransactionView {
  id: string;
  type: string;
  status: 'pending' | 'completed' | 'failed';
  amount: number;
  balanceAfter: number;
  counterparty?: { id: string; name: string };
  memo?: string;
  createdAt: string;
}
