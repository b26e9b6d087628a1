import './instrument'; // first: tracing must start before the app's modules load
import { runApp } from '@paychat/platform';
import { buildWallet } from './build-wallet';
import { WalletEnv } from './wallet.env';

void runApp(WalletEnv, buildWallet);
