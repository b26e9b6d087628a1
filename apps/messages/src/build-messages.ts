import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { createApp } from '@paychat/platform';
import { MessagesEnv } from './messages.env';
import { MessagesModule } from './messages.module';

export function buildMessages(config: MessagesEnv): Promise<NestFastifyApplication> {
  return createApp(MessagesModule.forRoot(config), config);
}
