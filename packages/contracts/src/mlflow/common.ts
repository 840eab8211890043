/**
 * Shapes shared by every area of MLflow's tracking API.
 *
 * MLflow serialises its proto2 messages as proto3-style JSON: snake_case field names, enums as
 * their names, unset fields omitted, and int64 values sometimes as JSON strings.
 */

/**
 * A proto `int64` on the wire. MLflow's own server emits numbers, but proto-JSON allows (and some
 * clients send) decimal strings, so readers must accept both.
 */
export type Int64 = number | string;

/** Lifecycle of an experiment, run or logged model: soft-deleted objects are `deleted`. */
export type LifecycleStage = 'active' | 'deleted';

/** Which lifecycle stages a search returns (proto enum `ViewType`). */
export type ViewType = 'ACTIVE_ONLY' | 'DELETED_ONLY' | 'ALL';

/** The body of every RPC whose proto `Response` message has no fields. */
export type EmptyResponse = Record<string, never>;
