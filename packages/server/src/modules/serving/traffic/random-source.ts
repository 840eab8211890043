/**
 * A source of uniform random numbers in [0, 1), like `Math.random`. Everything in this folder that
 * draws at random takes one, so tests can pass a seeded generator and assert exact outcomes.
 */
export type RandomSource = () => number;
