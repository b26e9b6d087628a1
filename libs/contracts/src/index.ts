export * from './conversation-ids';
export * from './chat-events';
export * from './wire-formats';
