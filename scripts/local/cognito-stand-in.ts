import type { Server } from 'node:http';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import pino from 'pino';
import { loadConfig } from 'cognito-local/lib/server/config';
import { Router } from 'cognito-local/lib/server/Router';
import { createServer } from 'cognito-local/lib/server/server';
import { DateClock, LambdaService, MessagesService, TriggersService } from 'cognito-local/lib/services';
import { CognitoServiceFactoryImpl } from 'cognito-local/lib/services/cognitoService';
import { CryptoService } from 'cognito-local/lib/services/crypto';
import { StormDBDataStoreFactory } from 'cognito-local/lib/services/dataStore/stormDb';
import { ConsoleMessageSender } from 'cognito-local/lib/services/messageDelivery/consoleMessageSender';
import { MessageDeliveryService } from 'cognito-local/lib/services/messageDelivery/messageDelivery';
import { otp } from 'cognito-local/lib/services/otp';
import { JwtTokenGenerator } from 'cognito-local/lib/services/tokenGenerator';
import { UserPoolServiceFactoryImpl } from 'cognito-local/lib/services/userPoolService';
import { withCognitoFixes } from './cognito-fixes';

/** cognito-local's own AWS SDK v2, for its Lambda client (the triggers); not one of our dependencies. */
process.env.AWS_SDK_JS_SUPPRESS_MAINTENANCE_MODE_MESSAGE ??= '1'; // v2's notice, on every start
const awsSdk = createRequire(require.resolve('cognito-local/lib/server/defaults'))('aws-sdk') as {
  Lambda: new (config: object) => ConstructorParameters<typeof LambdaService>[1];
};

/**
 * cognito-local, assembled in this process the way its own start script does (state in `dir`, its
 * `.cognito/`, given absolutely rather than by the working directory), with our fixes in front of
 * its routes (cognito-fixes.ts). Logs go to `logFile`.
 */
export async function serveCognitoLocal(opts: {
  port: number;
  dir: string;
  logFile: string;
}): Promise<{ stop(): Promise<void> }> {
  const logger = pino({ level: 'info' }, pino.destination({ dest: opts.logFile, mkdir: true, sync: false }));
  const ctx = { logger };
  const config = await loadConfig(ctx, new StormDBDataStoreFactory(opts.dir));
  const clock = new DateClock();
  const dataDir = join(opts.dir, 'db');
  const dataStores = new StormDBDataStoreFactory(dataDir);
  const cognito = await new CognitoServiceFactoryImpl(
    dataDir,
    dataStores,
    new UserPoolServiceFactoryImpl(clock, dataStores),
  ).create(ctx, config.UserPoolDefaults);
  const triggers = new TriggersService(
    clock,
    cognito,
    new LambdaService(config.TriggerFunctions, new awsSdk.Lambda(config.LambdaClient)),
    new CryptoService(config.KMSConfig),
  );
  const services = {
    clock,
    cognito,
    config,
    messages: new MessagesService(triggers, new MessageDeliveryService(new ConsoleMessageSender())),
    otp,
    tokenGenerator: new JwtTokenGenerator(clock, triggers, config.TokenConfig),
    triggers,
  };
  const server = (await createServer(
    withCognitoFixes(services, Router(services)),
    logger as unknown as Parameters<typeof createServer>[1], // its pino's types are an older major
    { port: opts.port, hostname: '127.0.0.1' },
    services,
  ).start()) as Server;
  return {
    stop: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }).finally(() => logger.flush()),
  };
}
