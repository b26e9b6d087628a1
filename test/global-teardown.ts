export default async function globalTeardown(): Promise<void> {
  const stack = (globalThis as { __paychatStack?: { stops: (() => Promise<void>)[] } }).__paychatStack;
  await Promise.all((stack?.stops ?? []).map((stop) => stop()));
}
