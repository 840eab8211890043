import type { GrantableObject } from '../stores/grant-store.js';

/** Finds an object's workspace by its wire id; undefined when no such object exists. */
export type WorkspaceLookup = (objectId: string) => Promise<string | undefined>;

/**
 * Where the security module learns which workspace an experiment or registered model belongs to.
 * The modules that own those objects register a lookup at start, so security never reads their
 * tables.
 */
export class ObjectDirectory {
  private readonly lookups = new Map<GrantableObject, WorkspaceLookup>();

  register(objectType: GrantableObject, lookup: WorkspaceLookup): void {
    this.lookups.set(objectType, lookup);
  }

  async workspaceOf(objectType: GrantableObject, objectId: string): Promise<string | undefined> {
    const lookup = this.lookups.get(objectType);
    return lookup ? lookup(objectId) : undefined;
  }
}
