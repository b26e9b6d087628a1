import './instrument'; // first: tracing must start before the app's modules load
import { runApp } from '@paychat/platform';
import { buildLegacy } from './build-legacy';
import { LegacyEnv } from './legacy.env';

void runApp(LegacyEnv, buildLegacy);
