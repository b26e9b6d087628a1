import { Ledger1795430000000 } from './1795430000000-Ledger';

/** Every wallet migration, in order: listed explicitly so the bundle and tests need no glob. */
export const WALLET_MIGRATIONS = [Ledger1795430000000];
