import { runApp } from '@paychat/platform';
import { buildLegacy } from './build-legacy';
import { LegacyEnv } from './legacy.env';

void runApp(LegacyEnv, buildLegacy);
