/**
 * Where the client connects and how it authenticates, resolved from explicit options first, then
 * Capstan's environment variables, then MLflow's, so existing MLflow setups work unchanged.
 */

export const DEFAULT_TRACKING_URL = 'http://127.0.0.1:5000';

export interface ConnectionOptions {
  /** Server base URL, e.g. `http://127.0.0.1:5000`. */
  url?: string;
  /** Bearer token. */
  token?: string;
  /** Basic-auth user; used only together with `password`. */
  username?: string;
  /** Basic-auth password. */
  password?: string;
  /**
   * Workspace that experiments and models this client creates go to, sent as the
   * `x-capstan-workspace` header on every request; default $CAPSTAN_WORKSPACE, else the server's.
   */
  workspace?: string;
}

export interface Connection {
  /** Base URL without a trailing slash. */
  url: string;
  /** Value of the `Authorization` header, if any. */
  authorization?: string;
  /** Workspace sent with every request, if any; the server's default applies otherwise. */
  workspace?: string;
}

type Env = Readonly<Record<string, string | undefined>>;

const nonEmpty = (value: string | undefined): string | undefined => (value ? value : undefined);

export function resolveUrl(option: string | undefined, env: Env): string {
  const mlflowUri = nonEmpty(env.MLFLOW_TRACKING_URI);
  // MLFLOW_TRACKING_URI may also name a local store (`./mlruns`, `sqlite:///...`), which we cannot talk to.
  const mlflowHttp = mlflowUri && /^https?:\/\//i.test(mlflowUri) ? mlflowUri : undefined;
  const url = nonEmpty(option) ?? nonEmpty(env.CAPSTAN_URL) ?? mlflowHttp ?? DEFAULT_TRACKING_URL;
  return url.replace(/\/+$/, '');
}

/**
 * Precedence: explicit token, explicit user+password, CAPSTAN_TOKEN, then MLflow's own order
 * (MLFLOW_TRACKING_USERNAME+PASSWORD before MLFLOW_TRACKING_TOKEN, as its Python client does).
 */
export function resolveAuthorization(options: ConnectionOptions, env: Env): string | undefined {
  const basic = (user: string, password: string) =>
    `Basic ${Buffer.from(`${user}:${password}`, 'utf8').toString('base64')}`;
  if (options.token) return `Bearer ${options.token}`;
  if (options.username && options.password) return basic(options.username, options.password);
  const capstanToken = nonEmpty(env.CAPSTAN_TOKEN);
  if (capstanToken) return `Bearer ${capstanToken}`;
  const user = nonEmpty(env.MLFLOW_TRACKING_USERNAME);
  const password = nonEmpty(env.MLFLOW_TRACKING_PASSWORD);
  if (user && password) return basic(user, password);
  const mlflowToken = nonEmpty(env.MLFLOW_TRACKING_TOKEN);
  return mlflowToken ? `Bearer ${mlflowToken}` : undefined;
}

export function resolveWorkspace(option: string | undefined, env: Env): string | undefined {
  return nonEmpty(option) ?? nonEmpty(env.CAPSTAN_WORKSPACE);
}

export function resolveConnection(options: ConnectionOptions, env: Env): Connection {
  const authorization = resolveAuthorization(options, env);
  const workspace = resolveWorkspace(options.workspace, env);
  return { url: resolveUrl(options.url, env), ...(authorization ? { authorization } : {}), ...(workspace ? { workspace } : {}) };
}
