import { readFileSync } from 'node:fs';
import { isAbsolute, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { parse as parseYaml } from 'yaml';
import { z } from 'zod';
import { CapstanError } from './errors.js';

/**
 * Capstan's configuration, validated in one place.
 *
 * Precedence, highest first: command-line flags, `CAPSTAN_*` environment variables, the config
 * file (`--config` or `CAPSTAN_CONFIG`, YAML or JSON), built-in defaults. This module is the only
 * reader of `process.env` in the server.
 */
const jwtSchema = z
  .object({
    /** Shared secret for HS256 tokens (at least 32 bytes). */
    secret: z.string().optional(),
    /** The identity provider's JWKS URL, for RS256/ES256 tokens. */
    jwksUrl: z.string().url().optional(),
    issuer: z.string().min(1),
    audience: z.union([z.string().min(1), z.array(z.string().min(1)).min(1)]),
    algorithms: z.array(z.string()).optional(),
    usernameClaim: z.string().default('sub'),
    groupsClaim: z.string().default('groups'),
    /** Members of this identity-provider group are Capstan administrators. */
    adminGroup: z.string().optional(),
  })
  .strict();

const AUTH_DEFAULTS = {
  mode: 'none',
  allowInsecureRemote: false,
  throttle: { maxFailuresPerUser: 10, maxFailuresPerAddress: 100, windowSeconds: 900 },
} as const;

const authSchema = z
  .object({
    /** `none`: no sign-in, for a laptop (loopback only unless allowInsecureRemote). `on`: every request but health checks needs credentials. */
    mode: z.enum(['none', 'on']).default('none'),
    /** Lets `mode: none` bind a non-loopback address. Anyone who can reach the port can then do anything. */
    allowInsecureRemote: z.coerce.boolean().default(false),
    /** First administrator, created at start on a store without one (CAPSTAN_ADMIN_USERNAME / CAPSTAN_ADMIN_PASSWORD). */
    adminUsername: z.string().optional(),
    adminPassword: z.string().optional(),
    jwt: jwtSchema.optional(),
    /** HMAC key for the audit hash chain; without it the chain is plain SHA-256 (edits detectable, but re-computable by whoever can write the database). */
    auditKey: z.string().min(16).optional(),
    throttle: z
      .object({
        maxFailuresPerUser: z.coerce.number().int().positive().default(10),
        maxFailuresPerAddress: z.coerce.number().int().positive().default(100),
        windowSeconds: z.coerce.number().int().positive().default(900),
      })
      .strict()
      .default(AUTH_DEFAULTS.throttle),
  })
  .strict();

/** Model serving defaults; a deployment's own `batching`/`limits` override the queue ones. */
const servingSchema = z.object({
  /** OIP gRPC port (`inference.GRPCInferenceService`); unset: no gRPC listener. 0 picks a free port. */
  grpcPort: z.coerce.number().int().min(0).max(65535).optional(),
  /** How often replicas look for deployment changes, moved aliases and canary steps. */
  reconcileIntervalMs: z.coerce.number().int().positive().default(1000),
  maxBatchSize: z.coerce.number().int().positive().default(1),
  maxQueueDelayMicros: z.coerce.number().int().min(0).default(1000),
  maxQueueSize: z.coerce.number().int().positive().default(1024),
  /**
   * Runs started per model version before requests wait in its queue. onnxruntime-node runs a
   * session synchronously on the event loop (parallel inside a run on its own threads), so this
   * bounds how many runs one loop turn may start, not parallelism: too low and small models stall
   * between turns (2 cut single-row throughput by half), so the default lets every caller's run
   * start in the turn its request arrived.
   */
  maxConcurrentRuns: z.coerce.number().int().positive().default(64),
  timeoutMs: z.coerce.number().int().positive().default(30_000),
  /** Share of requests written to the inference log when a deployment does not say (0-1). */
  logSampleRate: z.coerce.number().min(0).max(1).default(1),
  /** At most this many inference log records per deployment per second; beyond it the sample thins out. */
  logMaxRecordsPerSecond: z.coerce.number().positive().default(500),
  /** How long an unreferenced model stays loaded in case it is asked for again. */
  unloadGraceMs: z.coerce.number().int().min(0).default(0),
});
/** Every serving default (what `serving` is when the configuration does not mention it). */
export const SERVING_DEFAULTS = servingSchema.parse({});

/** Monitors: the background scheduler every replica runs (a database lease keeps each run to one replica). */
const monitoringSchema = z
  .object({
    /** Whether this process runs due monitors; off for a replica that should only serve. */
    schedulerEnabled: z.coerce.boolean().default(true),
    /** How often the scheduler looks for due monitors. */
    schedulerTickMs: z.coerce.number().int().positive().default(5000),
    /** How long a replica holds a monitor it is running; a replica that dies frees it after this. */
    runLeaseMs: z.coerce.number().int().positive().default(10 * 60 * 1000),
    /** Logged rows one window (current or reference) may hold. */
    maxWindowRows: z.coerce.number().int().positive().default(200_000),
    /**
     * Create a `<deployment>-training-skew` monitor for every deployment whose served version was
     * trained on a logged dataset, comparing its inputs with that dataset every `skewIntervalSeconds`
     * over the last `skewWindowSeconds`.
     */
    skewMonitors: z.coerce.boolean().default(true),
    skewWindowSeconds: z.coerce.number().int().positive().default(3600),
    skewIntervalSeconds: z.coerce.number().int().min(10).default(3600),
  })
  .strict();
export const MONITORING_DEFAULTS = monitoringSchema.parse({});

/** The feature store: where offline data and online values live, and its background work. */
const featuresSchema = z
  .object({
    /**
     * `sqlite:///path.db`, `sqlite://:memory:` or `redis://...`. Default: Redis when `redisUrl` is
     * set, else a SQLite file beside a SQLite metadata database (in memory beside an in-memory one).
     */
    onlineStoreUri: z.string().min(1).optional(),
    /** Root of file sources' paths and entity files: a folder or `s3://bucket/prefix`. */
    offlineStoreUri: z.string().min(1).default('./capstan-data/features'),
    /** The project Feast's routes at the server root (`/get-online-features`, ...) serve. */
    defaultProject: z.string().min(1).default('default'),
    /** How often a replica looks for registry changes made by another (the bound on how stale it can be). */
    registryRefreshMs: z.coerce.number().int().positive().default(500),
    /** Whether this process materializes views that name an interval. */
    schedulerEnabled: z.coerce.boolean().default(true),
    schedulerTickMs: z.coerce.number().int().positive().default(5000),
    materializationLeaseMs: z.coerce.number().int().positive().default(30 * 60 * 1000),
  })
  .strict();
export const FEATURES_DEFAULTS = featuresSchema.parse({});

export const configSchema = z.object({
  host: z.string().min(1).default('127.0.0.1'),
  port: z.coerce.number().int().min(0).max(65535).default(5000),
  /** `sqlite:///relative/path.db`, `sqlite:////absolute/path.db`, `sqlite://:memory:` or `postgresql://...`. */
  backendStoreUri: z.string().min(1).default('sqlite:///capstan-data/capstan.db'),
  /** Where proxied artifacts live: `file:///dir`, a plain path, or `s3://bucket/prefix`. */
  artifactsDestination: z.string().min(1).default('./capstan-data/artifacts'),
  /**
   * Artifact root recorded on new experiments. The default `mlflow-artifacts:/` makes clients send
   * artifacts through this server (MLflow's `--serve-artifacts` mode).
   */
  defaultArtifactRoot: z.string().min(1).default('mlflow-artifacts:/'),
  serveArtifacts: z.coerce.boolean().default(true),
  s3: z
    .object({
      /** Any S3-compatible endpoint (MinIO, Ceph, R2...). Also read from `MLFLOW_S3_ENDPOINT_URL`. */
      endpointUrl: z.string().url().optional(),
      region: z.string().default('us-east-1'),
      forcePathStyle: z.coerce.boolean().default(true),
    })
    .default({ region: 'us-east-1', forcePathStyle: true }),
  logLevel: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  /** How long graceful shutdown waits for in-flight requests before giving up. */
  shutdownTimeoutMs: z.coerce.number().int().positive().default(10_000),
  /** Largest JSON request body accepted, in bytes. Artifact uploads stream and are not limited by it. */
  bodyLimitBytes: z.coerce.number().int().positive().default(16 * 1024 * 1024),
  /** Largest single artifact upload (or multipart part) through the proxy, in bytes; S3's single-PUT cap. */
  artifactUploadLimitBytes: z.coerce.number().int().positive().default(5 * 1024 ** 3),
  /** `redis://host:6379/0` for state shared by replicas (sign-in throttling); in-process when unset. */
  redisUrl: z.string().optional(),
  auth: authSchema.default(AUTH_DEFAULTS),
  serving: servingSchema.default(SERVING_DEFAULTS),
  monitoring: monitoringSchema.default(MONITORING_DEFAULTS),
  features: featuresSchema.default(FEATURES_DEFAULTS),
});

export type CapstanConfig = z.infer<typeof configSchema>;
type ConfigInput = z.input<typeof configSchema>;

/** Flags of `capstan server` / `npm start`; names mirror `mlflow server` where the meaning is shared. */
const FLAG_OPTIONS = {
  config: { type: 'string' },
  host: { type: 'string', short: 'h' },
  port: { type: 'string', short: 'p' },
  'backend-store-uri': { type: 'string' },
  'default-artifact-root': { type: 'string' },
  'artifacts-destination': { type: 'string' },
  'serve-artifacts': { type: 'boolean' },
  'no-serve-artifacts': { type: 'boolean' },
  's3-endpoint-url': { type: 'string' },
  's3-region': { type: 'string' },
  'log-level': { type: 'string' },
  auth: { type: 'boolean' },
  'allow-insecure-remote': { type: 'boolean' },
  'redis-url': { type: 'string' },
  'grpc-port': { type: 'string' },
  help: { type: 'boolean' },
} as const;

export const SERVER_USAGE = `Usage: capstan server [options]

Options (flags override CAPSTAN_* environment variables, which override the config file):
  --config FILE                  YAML or JSON config file            (CAPSTAN_CONFIG)
  -h, --host HOST                address to bind [127.0.0.1]         (CAPSTAN_HOST)
  -p, --port PORT                port to listen on [5000]            (CAPSTAN_PORT)
  --backend-store-uri URI        sqlite:///path.db | postgresql://... (CAPSTAN_BACKEND_STORE_URI)
  --artifacts-destination URI    file:///dir | s3://bucket/prefix    (CAPSTAN_ARTIFACTS_DESTINATION)
  --default-artifact-root URI    root for new experiments [mlflow-artifacts:/] (CAPSTAN_DEFAULT_ARTIFACT_ROOT)
  --[no-]serve-artifacts         proxy artifact uploads and downloads [on] (CAPSTAN_SERVE_ARTIFACTS)
  --s3-endpoint-url URL          S3-compatible endpoint (CAPSTAN_S3_ENDPOINT_URL, MLFLOW_S3_ENDPOINT_URL)
  --s3-region REGION             [us-east-1]                         (CAPSTAN_S3_REGION)
  --log-level LEVEL              fatal|error|warn|info|debug|trace|silent [info] (CAPSTAN_LOG_LEVEL)
  --auth                         require sign-in on every route but health checks (CAPSTAN_AUTH=on)
  --allow-insecure-remote        with auth off, still bind a non-loopback address (CAPSTAN_ALLOW_INSECURE_REMOTE)
  --redis-url URL                redis://host:6379 for state shared by replicas (CAPSTAN_REDIS_URL)
  --grpc-port PORT               Open Inference Protocol gRPC listener; off when unset (CAPSTAN_GRPC_PORT)

With --auth, the first administrator comes from CAPSTAN_ADMIN_USERNAME and CAPSTAN_ADMIN_PASSWORD
on a store that has none, or from \`capstan users create NAME --admin --backend-store-uri URI\`.
Identity-provider tokens: CAPSTAN_JWT_ISSUER, CAPSTAN_JWT_AUDIENCE and CAPSTAN_JWT_JWKS_URL or
CAPSTAN_JWT_SECRET (see docs/security.md).
`;

export interface ServerArgs {
  help: boolean;
  overrides: ConfigInput;
  configFile?: string;
}

/** Parses `capstan server` flags. Unknown flags are an error, not silently ignored. */
export function parseServerArgs(argv: readonly string[]): ServerArgs {
  let values: ReturnType<typeof parseArgs<{ options: typeof FLAG_OPTIONS; strict: true }>>['values'];
  try {
    ({ values } = parseArgs({ args: [...argv], options: FLAG_OPTIONS, strict: true, allowPositionals: false }));
  } catch (err) {
    throw new CapstanError('INVALID_PARAMETER_VALUE', `${(err as Error).message}\n\n${SERVER_USAGE}`);
  }
  const overrides: ConfigInput = {};
  if (values.host !== undefined) overrides.host = values.host;
  if (values.port !== undefined) overrides.port = values.port;
  if (values['backend-store-uri'] !== undefined) overrides.backendStoreUri = values['backend-store-uri'];
  if (values['artifacts-destination'] !== undefined) overrides.artifactsDestination = values['artifacts-destination'];
  if (values['default-artifact-root'] !== undefined) overrides.defaultArtifactRoot = values['default-artifact-root'];
  if (values['serve-artifacts']) overrides.serveArtifacts = true;
  if (values['no-serve-artifacts']) overrides.serveArtifacts = false;
  if (values['log-level'] !== undefined) overrides.logLevel = values['log-level'] as CapstanConfig['logLevel'];
  if (values['redis-url'] !== undefined) overrides.redisUrl = values['redis-url'];
  if (values['grpc-port'] !== undefined) overrides.serving = { grpcPort: values['grpc-port'] as unknown as number };
  if (values.auth || values['allow-insecure-remote']) {
    overrides.auth = {};
    if (values.auth) overrides.auth.mode = 'on';
    if (values['allow-insecure-remote']) overrides.auth.allowInsecureRemote = true;
  }
  if (values['s3-endpoint-url'] !== undefined || values['s3-region'] !== undefined) {
    overrides.s3 = {};
    if (values['s3-endpoint-url'] !== undefined) overrides.s3.endpointUrl = values['s3-endpoint-url'];
    if (values['s3-region'] !== undefined) overrides.s3.region = values['s3-region'];
  }
  return { help: values.help ?? false, overrides, ...(values.config ? { configFile: values.config } : {}) };
}

type Env = Readonly<Record<string, string | undefined>>;

function fromEnv(env: Env): { input: ConfigInput; configFile?: string } {
  const input: ConfigInput = {};
  const set = <K extends keyof ConfigInput>(key: K, name: string) => {
    const value = env[name];
    if (value !== undefined && value !== '') input[key] = value as ConfigInput[K];
  };
  set('host', 'CAPSTAN_HOST');
  set('port', 'CAPSTAN_PORT');
  set('backendStoreUri', 'CAPSTAN_BACKEND_STORE_URI');
  set('artifactsDestination', 'CAPSTAN_ARTIFACTS_DESTINATION');
  set('defaultArtifactRoot', 'CAPSTAN_DEFAULT_ARTIFACT_ROOT');
  set('logLevel', 'CAPSTAN_LOG_LEVEL');
  set('shutdownTimeoutMs', 'CAPSTAN_SHUTDOWN_TIMEOUT_MS');
  set('bodyLimitBytes', 'CAPSTAN_BODY_LIMIT_BYTES');
  set('artifactUploadLimitBytes', 'CAPSTAN_ARTIFACT_UPLOAD_LIMIT_BYTES');
  set('redisUrl', 'CAPSTAN_REDIS_URL');
  if (env.CAPSTAN_GRPC_PORT) input.serving = { grpcPort: env.CAPSTAN_GRPC_PORT as unknown as number };
  if (env.CAPSTAN_FEATURES_ONLINE_STORE_URI || env.CAPSTAN_FEATURES_OFFLINE_STORE_URI) {
    input.features = {};
    if (env.CAPSTAN_FEATURES_ONLINE_STORE_URI) input.features.onlineStoreUri = env.CAPSTAN_FEATURES_ONLINE_STORE_URI;
    if (env.CAPSTAN_FEATURES_OFFLINE_STORE_URI) input.features.offlineStoreUri = env.CAPSTAN_FEATURES_OFFLINE_STORE_URI;
  }
  if (env.CAPSTAN_SERVE_ARTIFACTS !== undefined) input.serveArtifacts = parseBool(env.CAPSTAN_SERVE_ARTIFACTS);
  const auth = authFromEnv(env);
  if (auth) input.auth = auth;
  const endpointUrl = env.CAPSTAN_S3_ENDPOINT_URL || env.MLFLOW_S3_ENDPOINT_URL;
  if (endpointUrl || env.CAPSTAN_S3_REGION) {
    input.s3 = {};
    if (endpointUrl) input.s3.endpointUrl = endpointUrl;
    if (env.CAPSTAN_S3_REGION) input.s3.region = env.CAPSTAN_S3_REGION;
  }
  return { input, ...(env.CAPSTAN_CONFIG ? { configFile: env.CAPSTAN_CONFIG } : {}) };
}

type AuthInput = NonNullable<ConfigInput['auth']>;

function authFromEnv(env: Env): AuthInput | undefined {
  const auth: AuthInput = {};
  const mode = env.CAPSTAN_AUTH?.trim().toLowerCase();
  if (mode) auth.mode = (parseBool(mode) ? 'on' : mode === 'none' ? 'none' : mode === 'off' ? 'none' : mode) as AuthInput['mode'];
  if (env.CAPSTAN_ALLOW_INSECURE_REMOTE !== undefined) auth.allowInsecureRemote = parseBool(env.CAPSTAN_ALLOW_INSECURE_REMOTE);
  if (env.CAPSTAN_ADMIN_USERNAME) auth.adminUsername = env.CAPSTAN_ADMIN_USERNAME;
  if (env.CAPSTAN_ADMIN_PASSWORD) auth.adminPassword = env.CAPSTAN_ADMIN_PASSWORD;
  if (env.CAPSTAN_AUDIT_KEY) auth.auditKey = env.CAPSTAN_AUDIT_KEY;
  const jwt: Record<string, unknown> = {};
  const jwtVars = {
    secret: 'CAPSTAN_JWT_SECRET',
    jwksUrl: 'CAPSTAN_JWT_JWKS_URL',
    issuer: 'CAPSTAN_JWT_ISSUER',
    audience: 'CAPSTAN_JWT_AUDIENCE',
    usernameClaim: 'CAPSTAN_JWT_USERNAME_CLAIM',
    groupsClaim: 'CAPSTAN_JWT_GROUPS_CLAIM',
    adminGroup: 'CAPSTAN_JWT_ADMIN_GROUP',
  };
  for (const [key, name] of Object.entries(jwtVars)) if (env[name]) jwt[key] = env[name];
  if (env.CAPSTAN_JWT_ALGORITHMS) jwt.algorithms = env.CAPSTAN_JWT_ALGORITHMS.split(',').map((a) => a.trim());
  if (Object.keys(jwt).length) auth.jwt = jwt as AuthInput['jwt'];
  return Object.keys(auth).length ? auth : undefined;
}

function parseBool(value: string): boolean {
  return !['0', 'false', 'no', 'off', ''].includes(value.trim().toLowerCase());
}

function readConfigFile(path: string): ConfigInput {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (err) {
    throw new CapstanError('INVALID_PARAMETER_VALUE', `Cannot read config file ${path}: ${(err as Error).message}`);
  }
  const parsed: unknown = parseYaml(text);
  if (parsed === null || parsed === undefined) return {};
  if (typeof parsed !== 'object' || Array.isArray(parsed)) {
    throw new CapstanError('INVALID_PARAMETER_VALUE', `Config file ${path} must hold a mapping of settings`);
  }
  return parsed as ConfigInput;
}

function merge(...layers: ConfigInput[]): ConfigInput {
  const out: ConfigInput = {};
  for (const layer of layers) {
    for (const [key, value] of Object.entries(layer) as [keyof ConfigInput, unknown][]) {
      if (value === undefined) continue;
      if (key === 's3') out.s3 = { ...out.s3, ...(value as ConfigInput['s3']) };
      else if (key === 'auth') out.auth = mergeAuth(out.auth, value as ConfigInput['auth']);
      else (out as Record<string, unknown>)[key] = value;
    }
  }
  return out;
}

function mergeAuth(base: ConfigInput['auth'], over: ConfigInput['auth']): ConfigInput['auth'] {
  const merged = { ...base, ...over };
  if (base?.throttle || over?.throttle) merged.throttle = { ...base?.throttle, ...over?.throttle };
  if (base?.jwt && over?.jwt) merged.jwt = { ...base.jwt, ...over.jwt };
  return merged;
}

/** Builds the effective configuration: flags over environment over file over defaults. */
export function loadConfig(options: { overrides?: ConfigInput; configFile?: string; env?: Env } = {}): CapstanConfig {
  const env = options.env ?? process.env;
  const fromEnvironment = fromEnv(env);
  const file = options.configFile ?? fromEnvironment.configFile;
  const fileInput = file ? readConfigFile(file) : {};
  const result = configSchema.strict().safeParse(merge(fileInput, fromEnvironment.input, options.overrides ?? {}));
  if (!result.success) {
    const problems = result.error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`).join('; ');
    throw new CapstanError('INVALID_PARAMETER_VALUE', `Invalid configuration: ${problems}`);
  }
  return result.data;
}

/** Resolves a `file:` URI or plain path against the working directory. */
export function localPathFromUri(uri: string, cwd = process.cwd()): string {
  const path = uri.startsWith('file://') ? decodeURIComponent(new URL(uri).pathname) : uri;
  return isAbsolute(path) ? path : resolve(cwd, path);
}
