import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:https';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { selfSignedCertificate } from './self-signed-certificate.js';

export type DocumentRoute = (req: IncomingMessage, res: ServerResponse, origin: string) => void | Promise<void>;

export interface MetadataDocumentHost {
  /** https://localhost:PORT */
  readonly origin: string;
  /** The self-signed certificate, for NODE_EXTRA_CA_CERTS of the Gatehouse that fetches from here. */
  readonly caFile: string;
  /** How many requests each path received. */
  readonly hits: Map<string, number>;
  close(): Promise<void>;
}

/**
 * An https server on loopback with a fresh self-signed certificate for localhost and 127.0.0.1,
 * standing in for the web site where a client publishes its client ID metadata document.
 */
export async function startMetadataDocumentHost(routes: Record<string, DocumentRoute>): Promise<MetadataDocumentHost> {
  const dir = mkdtempSync(join(tmpdir(), 'gatehouse-cimd-'));
  const { keyFile, certFile } = selfSignedCertificate(dir, 'localhost', 'DNS:localhost,IP:127.0.0.1');
  const hits = new Map<string, number>();
  let origin = '';
  const server: Server = createServer({ key: readFileSync(keyFile), cert: readFileSync(certFile) }, (req, res) => {
    const path = new URL(req.url ?? '/', origin).pathname;
    hits.set(path, (hits.get(path) ?? 0) + 1);
    const route = routes[path];
    if (!route) {
      res.statusCode = 404;
      res.end();
      return;
    }
    void Promise.resolve(route(req, res, origin)).catch(() => res.destroy());
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  origin = `https://localhost:${(server.address() as { port: number }).port}`;
  return {
    origin,
    caFile: certFile,
    hits,
    close: async () => {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** A route answering `document` (given the host's origin) as JSON with the headers given. */
export const jsonDocument =
  (document: (origin: string) => unknown, headers: Record<string, string> = {}): DocumentRoute =>
  (_req, res, origin) => {
    res.writeHead(200, { 'content-type': 'application/json', ...headers });
    res.end(JSON.stringify(document(origin)));
  };
