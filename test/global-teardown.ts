export default async function globalTeardown(): Promise<void> {
  const stack = (globalThis as { __paychatStack?: { cognito: { stop(): Promise<void> } } }).__paychatStack;
  await stack?.cognito.stop();
}
