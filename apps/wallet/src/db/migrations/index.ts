import { Ledger1795430000000 } from './1795430000000-Ledger';
import { LimitsAndReconciliation1795440000000 } from './1795440000000-LimitsAndReconciliation';
import { AdminAndReversals1795450000000 } from './1795450000000-AdminAndReversals';
import { PaymentRequests1795460000000 } from './1795460000000-PaymentRequests';
import { AtmSessions1795470000000 } from './1795470000000-AtmSessions';
import { LegacyAccounts1795480000000 } from './1795480000000-LegacyAccounts';
import { LegacyImport1795490000000 } from './1795490000000-LegacyImport';
import { LimitsUnderLock1795500000000 } from './1795500000000-LimitsUnderLock';
import { OutboxFastPath1795510000000 } from './1795510000000-OutboxFastPath';
import { OutboxOrigin1795520000000 } from './1795520000000-OutboxOrigin';
import { AdminConsole1795530000000 } from './1795530000000-AdminConsole';

/** Every wallet migration, in order: listed explicitly so the bundle and tests need no glob. */
export const WALLET_MIGRATIONS = [
  Ledger1795430000000,
  LimitsAndReconciliation1795440000000,
  AdminAndReversals1795450000000,
  PaymentRequests1795460000000,
  AtmSessions1795470000000,
  LegacyAccounts1795480000000,
  LegacyImport1795490000000,
  LimitsUnderLock1795500000000,
  OutboxFastPath1795510000000,
  OutboxOrigin1795520000000,
  AdminConsole1795530000000,
];
