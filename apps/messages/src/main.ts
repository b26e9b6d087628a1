import './instrument'; // first: tracing must start before the app's modules load
import { runApp } from '@paychat/platform';
import { buildMessages } from './build-messages';
import { MessagesEnv } from './messages.env';

void runApp(MessagesEnv, buildMessages);
