import { startTracing } from '@paychat/telemetry';

// Before anything else loads: OpenTelemetry patches mysql2, ioredis, pino and the AWS SDK as they are required.
startTracing({ service: 'legacy', role: 'entry' });
