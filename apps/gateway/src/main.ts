import './instrument'; // first: tracing must start before the app's modules load
import { runApp } from '@paychat/platform';
import { buildGateway } from './build-gateway';
import { GatewayEnv } from './gateway.env';

void runApp(GatewayEnv, buildGateway);
