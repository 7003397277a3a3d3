import { deferCleanup } from './services';
import net from 'node:net';

export interface SilencingProxy {
  /** Connect here instead of the server. */
  baseUrl: string;
  /**
   * Every connection open now stops carrying bytes either way, and nothing is closed: a network
   * that died without a FIN or RST (a laptop lid, a wifi hand-over, a NAT that forgot the flow).
   * Connections made afterwards pass as usual.
   */
  silence(): void;
}

/** A TCP proxy on a free port in front of `port`, whose connections can be made to go silent. */
export async function startSilencingProxy(port: number): Promise<SilencingProxy> {
  const sockets = new Set<net.Socket>();
  const live = new Set<{ silent: boolean }>();
  const server = net.createServer((client) => {
    const path = { silent: false };
    live.add(path);
    const upstream = net.connect(port, '127.0.0.1');
    for (const [from, to] of [[client, upstream], [upstream, client]] as const) {
      sockets.add(from);
      from.on('data', (chunk) => {
        if (!path.silent) to.write(chunk);
      });
      // A silent path passes no FIN either: the far side must find out by itself.
      from.on('close', () => {
        sockets.delete(from);
        if (!path.silent) to.destroy();
      });
      from.on('error', () => from.destroy());
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  deferCleanup(() => {
    for (const s of sockets) s.destroy();
    server.close();
  });
  return {
    baseUrl: `http://127.0.0.1:${(server.address() as net.AddressInfo).port}`,
    silence: () => {
      for (const path of live) path.silent = true;
      live.clear();
    },
  };
}
