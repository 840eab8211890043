/** The server's version, reported by /version and the OpenAPI document. */
export const CAPSTAN_VERSION = '0.1.0';
