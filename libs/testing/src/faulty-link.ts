import { AddressInfo, createServer, Server, Socket, connect } from 'node:net';

/**
 * A TCP hop in front of a real dependency (MariaDB, DynamoDB Local) that a test can break the way
 * networks and servers break: connections reset, connections refused, or a hung link that takes
 * bytes and connections and never answers.
 */
export class FaultyLink {
  private readonly sockets = new Set<Socket>();
  private hung = false;
  private server = this.newServer();
  /** Where the app under test connects (the same again after a restore). */
  port = 0;

  private constructor(private readonly target: number) {}

  static async to(targetPort: number): Promise<FaultyLink> {
    const link = new FaultyLink(targetPort);
    await link.listen();
    return link;
  }

  /** Every open connection is reset (a server that died or killed them). */
  drop(): void {
    for (const socket of this.sockets) socket.destroy();
    this.sockets.clear();
  }

  /** Connections are reset, and new ones refused (nothing listens any more). */
  async refuse(): Promise<void> {
    this.drop();
    await new Promise((resolve) => this.server.close(resolve));
  }

  /** Bytes stop flowing both ways, on open connections and new ones alike; nothing is closed. */
  hang(): void {
    this.hung = true;
  }

  /** Working again: hung connections are reset, new ones go through. */
  async restore(): Promise<void> {
    this.drop();
    this.hung = false;
    if (!this.server.listening) {
      this.server = this.newServer();
      await this.listen();
    }
  }

  async close(): Promise<void> {
    if (this.server.listening) await this.refuse();
  }

  private newServer(): Server {
    return createServer((client) => this.accept(client));
  }

  private async listen(): Promise<void> {
    await new Promise<void>((resolve) => this.server.listen(this.port, '127.0.0.1', resolve));
    this.port = (this.server.address() as AddressInfo).port;
  }

  private accept(client: Socket): void {
    this.sockets.add(client);
    client.on('error', () => undefined);
    if (this.hung) return;
    const upstream = connect(this.target, '127.0.0.1');
    this.sockets.add(upstream);
    upstream.on('error', () => client.destroy());
    client.on('close', () => upstream.destroy());
    upstream.on('close', () => client.destroy());
    client.on('data', (chunk) => this.hung || upstream.write(chunk));
    upstream.on('data', (chunk) => this.hung || client.write(chunk));
  }
}
