/**
 * Starts and stops the Open Inference Protocol's gRPC endpoint (GRPCInferenceService), the
 * surface tritonclient's and KServe's gRPC clients talk to.
 */
import { Server, ServerCredentials } from '@grpc/grpc-js';
import { createInferenceHandlers, type InferenceHandlerOptions } from './inference-service-handlers.js';
import { loadInferenceService } from './load-service.js';

export interface OipGrpcServerOptions extends InferenceHandlerOptions {
  /** A host name or address as gRPC takes it (an IPv6 literal in brackets: `[::]`). */
  host: string;
  /** 0 picks a free port; the started server reports the one it got. */
  port: number;
  /** Largest message received or sent, in bytes (gRPC's own default is 4 MiB received). */
  maxMessageBytes: number;
  /**
   * How long close() lets in-flight calls finish before cancelling them; 5 seconds by default.
   * New calls are refused as soon as close() is called.
   */
  shutdownGraceMs?: number;
}

export interface OipGrpcServer {
  readonly port: number;
  close(): Promise<void>;
}

const DEFAULT_SHUTDOWN_GRACE_MS = 5_000;

function bind(server: Server, address: string): Promise<number> {
  return new Promise((resolve, reject) => {
    server.bindAsync(address, ServerCredentials.createInsecure(), (error, port) => (error ? reject(error) : resolve(port)));
  });
}

function shutdown(server: Server, graceMs: number): Promise<void> {
  return new Promise((resolve, reject) => {
    // tryShutdown waits for every in-flight call; past the grace period they are cancelled, which
    // also completes tryShutdown. unref: a pending grace timer must not keep the process alive.
    const force = setTimeout(() => server.forceShutdown(), graceMs);
    force.unref();
    server.tryShutdown((error) => {
      clearTimeout(force);
      if (error) reject(error);
      else resolve();
    });
  });
}

export async function startOipGrpcServer(options: OipGrpcServerOptions): Promise<OipGrpcServer> {
  const service = await loadInferenceService();
  const server = new Server({
    'grpc.max_receive_message_length': options.maxMessageBytes,
    'grpc.max_send_message_length': options.maxMessageBytes,
  });
  server.addService(service, createInferenceHandlers(options));
  let port: number;
  try {
    port = await bind(server, `${options.host}:${options.port}`);
  } catch (error) {
    server.forceShutdown();
    throw error;
  }
  const graceMs = options.shutdownGraceMs ?? DEFAULT_SHUTDOWN_GRACE_MS;
  let closing: Promise<void> | undefined;
  return {
    port,
    // Idempotent: a second close() waits for the first rather than shutting down twice.
    close: () => (closing ??= shutdown(server, graceMs)),
  };
}
