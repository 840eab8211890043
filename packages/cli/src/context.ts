import { CapstanClient } from '@capstan/sdk';
import type { ModelServerOptions, RunningModelServer } from '@capstan/server/model-server';
import type { CliIo } from './io.js';

export interface StoreUser {
  username: string;
  password: string;
  isAdmin: boolean;
}

/** Replaceable collaborators: tests swap the server launcher, and could swap the client. */
export interface CliDeps {
  createClient: (options: { url?: string; env: CliIo['env'] }) => CapstanClient;
  runServer: (argv: string[]) => Promise<void>;
  /** Starts a standalone model server (`capstan serve`); resolves once it answers. */
  startModelServer: (options: ModelServerOptions) => Promise<RunningModelServer>;
  /** Writes a user straight into a metadata store: how the first administrator is made. */
  createUserInStore: (backendStoreUri: string, user: StoreUser) => Promise<'created' | 'updated'>;
}

export const defaultDeps: CliDeps = {
  createClient: ({ url, env }) => new CapstanClient({ ...(url ? { url } : {}), env }),
  runServer: async (argv) => {
    // Loaded on demand so client commands start fast without the server's database drivers.
    const { runServerCommand } = await import('@capstan/server');
    await runServerCommand(argv);
  },
  startModelServer: async (options) => {
    const { startModelServer } = await import('@capstan/server/model-server');
    return startModelServer(options);
  },
  createUserInStore: async (backendStoreUri, user) => {
    const { createUserInStore } = await import('@capstan/server');
    return createUserInStore(backendStoreUri, user);
  },
};

/** What each command's action receives. */
export interface CommandContext {
  io: CliIo;
  /** The client for the `--url` given (or the environment's), created on first use. */
  client: () => CapstanClient;
  runServer: CliDeps['runServer'];
  startModelServer: CliDeps['startModelServer'];
  createUserInStore: CliDeps['createUserInStore'];
}

/** Prints API objects as indented JSON, one document per command. */
export function printJson(io: CliIo, value: unknown): void {
  io.stdout(`${JSON.stringify(value, null, 2)}\n`);
}

/** The first `limit` items of an async iterator (all when no limit), stopping the fetches early. */
export async function take<T>(items: AsyncIterable<T>, limit: number | undefined): Promise<T[]> {
  const out: T[] = [];
  if (limit === 0) return out;
  for await (const item of items) {
    out.push(item);
    if (limit !== undefined && out.length >= limit) break;
  }
  return out;
}

/** Page size for a listing that stops at `limit`: no bigger than needed, within what servers allow. */
export const pageSize = (limit: number | undefined): number => Math.min(limit ?? 1000, 1000);
