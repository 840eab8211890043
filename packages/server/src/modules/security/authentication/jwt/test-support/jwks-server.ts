import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { JWK } from 'jose';

/** A real HTTP JWKS endpoint, so tests exercise jose's fetching, caching and refetch rules. */
export interface JwksServer {
  readonly url: string;
  /** How many times the key set was requested; shows when the verifier hit its cache. */
  readonly fetchCount: number;
  /** Replaces the served keys, as an IdP does when it rotates them. */
  setKeys(keys: JWK[]): void;
  /** Answers every request with this status instead of the keys (undefined restores normal service). */
  failWith(status: number | undefined): void;
  close(): Promise<void>;
}

export async function startJwksServer(initialKeys: JWK[]): Promise<JwksServer> {
  let keys = initialKeys;
  let failure: number | undefined;
  let fetchCount = 0;
  const server = createServer((_req, res) => {
    fetchCount += 1;
    if (failure !== undefined) {
      res.writeHead(failure).end();
      return;
    }
    res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ keys }));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/.well-known/jwks.json`,
    get fetchCount() {
      return fetchCount;
    },
    setKeys(next) {
      keys = next;
    },
    failWith(status) {
      failure = status;
    },
    close() {
      // fetch keeps connections alive; drop them or close() waits for their idle timeout.
      server.closeAllConnections();
      return new Promise<void>((resolve, reject) => server.close((err) => (err ? reject(err) : resolve())));
    },
  };
}
