export * from './conversation-ids';
export * from './chat-events';
