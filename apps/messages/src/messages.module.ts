import { DynamicModule, Module } from '@nestjs/common';
import { AuthModule } from '@paychat/auth';
import { CoreModule } from '@paychat/platform';
import { BlocksModule } from './blocks/blocks.module';
import { ConversationsModule } from './conversations/conversations.module';
import { DynamoModule } from './db/dynamo.module';
import { DevicesModule } from './devices/devices.module';
import { EventsModule } from './events/events.module';
import { ChatMessagesModule } from './messages/chat-messages.module';
import { MessagesEnv } from './messages.env';
import { RelationsModule } from './relations/relations.module';
import { UsersModule } from './users/users.module';

@Module({})
export class MessagesModule {
  static forRoot(config: MessagesEnv): DynamicModule {
    return {
      module: MessagesModule,
      imports: [
        CoreModule.forRoot('messages', config),
        AuthModule.withCallers(UsersModule),
        DynamoModule,
        ConversationsModule,
        ChatMessagesModule,
        DevicesModule,
        EventsModule,
        BlocksModule,
        RelationsModule,
      ],
    };
  }
}
