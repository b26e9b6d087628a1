import { runApp } from '@paychat/platform';
import { buildGateway } from './build-gateway';
import { GatewayEnv } from './gateway.env';

void runApp(GatewayEnv, buildGateway);
