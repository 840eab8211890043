/** How serving keys a followed alias (`name@alias`), in the map `aliasTargets` returns. */
export const aliasKey = (name: string, alias: string) => `${name}@${alias}`;
