/** `A | B` -> `A & B`: merges the rows of several views into one. */
export type UnionToIntersection<U> = (U extends unknown ? (x: U) => void : never) extends (x: infer I) => void ? I : never;

/** Flattens an intersection into one object type, so hovers and type tests read plainly. */
export type Simplify<T> = { [K in keyof T]: T[K] } & {};

/** The intersection of a union of object types; no fields for an empty union. */
export type MergeAll<U> = [U] extends [never] ? Record<never, never> : Simplify<UnionToIntersection<U>>;
