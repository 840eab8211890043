import type { Deployment, DeploymentManifest, DeploymentSpec, DeploymentTraffic } from '@capstan/contracts';
import type { Kysely, RawBuilder, SqlBool, Transaction } from 'kysely';
import { alreadyExists, CapstanError, notFound } from '../../../core/errors.js';
import type { DeploymentsTable, ServingTables } from './tables.js';

export const deploymentNotFound = (name: string) => notFound(`Deployment '${name}' not found`);

/** A change to a stored deployment; absent fields stay as they are. */
export interface DeploymentChange {
  spec?: DeploymentSpec;
  description?: string | null;
  traffic?: DeploymentTraffic;
  previousTraffic?: DeploymentTraffic | null;
  canary?: unknown;
}

/**
 * Deployments in the metadata database. Every write takes the next number of one global sequence
 * (in the same transaction), so a replica learns of any change by comparing one number, and an
 * update can insist on the revision it read (a lost update is refused with RESOURCE_CONFLICT).
 */
export class DeploymentStore {
  constructor(
    private readonly db: Kysely<ServingTables>,
    private readonly now: () => number,
  ) {}

  /** Every deployment, or those `visible` keeps (a caller's readable condition). */
  async list(visible?: RawBuilder<SqlBool>): Promise<Deployment[]> {
    let query = this.db.selectFrom('deployments').selectAll().orderBy('name');
    if (visible) query = query.where(visible);
    return (await query.execute()).map(toDeployment);
  }

  async find(name: string): Promise<Deployment | undefined> {
    const row = await this.db.selectFrom('deployments').selectAll().where('name', '=', name).executeTakeFirst();
    return row && toDeployment(row);
  }

  async require(name: string): Promise<Deployment> {
    const found = await this.find(name);
    if (!found) throw deploymentNotFound(name);
    return found;
  }

  async workspaceOf(name: string): Promise<string | undefined> {
    const row = await this.db.selectFrom('deployments').select('workspace').where('name', '=', name).executeTakeFirst();
    return row?.workspace;
  }

  /** The highest revision written: replicas reload when it moves. */
  async latestRevision(): Promise<number> {
    const row = await this.db.selectFrom('deployment_revisions').select('revision').where('id', '=', 1).executeTakeFirstOrThrow();
    return Number(row.revision);
  }

  async create(manifest: DeploymentManifest & { workspace: string }, traffic: DeploymentTraffic, actor: string | null): Promise<Deployment> {
    return this.db.transaction().execute(async (trx) => {
      const exists = await trx.selectFrom('deployments').select('name').where('name', '=', manifest.name).executeTakeFirst();
      if (exists) throw alreadyExists(`Deployment '${manifest.name}' already exists`);
      const revision = await nextRevision(trx);
      const now = this.now();
      await trx
        .insertInto('deployments')
        .values({
          name: manifest.name,
          workspace: manifest.workspace,
          description: manifest.description ?? null,
          spec: JSON.stringify(manifest.spec),
          traffic: JSON.stringify(traffic),
          previous_traffic: null,
          canary: null,
          revision,
          created_at: now,
          updated_at: now,
          created_by: actor,
          updated_by: actor,
        })
        .execute();
      return toDeployment((await trx.selectFrom('deployments').selectAll().where('name', '=', manifest.name).executeTakeFirstOrThrow()));
    });
  }

  /**
   * Applies `change` if the deployment is still at `expectedRevision` (when given); otherwise
   * RESOURCE_CONFLICT, and the caller re-reads and decides again.
   */
  async update(name: string, change: DeploymentChange, actor: string | null, expectedRevision?: number): Promise<Deployment> {
    return this.db.transaction().execute(async (trx) => {
      const current = await trx.selectFrom('deployments').select('revision').where('name', '=', name).executeTakeFirst();
      if (!current) throw deploymentNotFound(name);
      if (expectedRevision !== undefined && Number(current.revision) !== expectedRevision) {
        throw new CapstanError('RESOURCE_CONFLICT', `Deployment '${name}' changed (revision ${current.revision}, expected ${expectedRevision}); read it again and retry`);
      }
      const revision = await nextRevision(trx);
      const set: Partial<DeploymentsTable> = { revision, updated_at: this.now(), updated_by: actor };
      if (change.spec !== undefined) set.spec = JSON.stringify(change.spec);
      if (change.description !== undefined) set.description = change.description;
      if (change.traffic !== undefined) set.traffic = JSON.stringify(change.traffic);
      if (change.previousTraffic !== undefined) set.previous_traffic = change.previousTraffic === null ? null : JSON.stringify(change.previousTraffic);
      if (change.canary !== undefined) set.canary = change.canary === null ? null : JSON.stringify(change.canary);
      // Conditional on the revision read above: on PostgreSQL a concurrent writer that committed
      // first leaves this matching no row (the WHERE is re-checked after its lock), not overwritten.
      const updated = await trx.updateTable('deployments').set(set).where('name', '=', name).where('revision', '=', current.revision).executeTakeFirst();
      if (Number(updated.numUpdatedRows) === 0) {
        throw new CapstanError('RESOURCE_CONFLICT', `Deployment '${name}' changed while this update was applied; read it again and retry`);
      }
      return toDeployment(await trx.selectFrom('deployments').selectAll().where('name', '=', name).executeTakeFirstOrThrow());
    });
  }

  async previousTraffic(name: string): Promise<DeploymentTraffic | undefined> {
    const row = await this.db.selectFrom('deployments').select('previous_traffic').where('name', '=', name).executeTakeFirst();
    if (!row) throw deploymentNotFound(name);
    return row.previous_traffic ? (JSON.parse(row.previous_traffic) as DeploymentTraffic) : undefined;
  }

  async delete(name: string): Promise<Deployment> {
    return this.db.transaction().execute(async (trx) => {
      const row = await trx.selectFrom('deployments').selectAll().where('name', '=', name).executeTakeFirst();
      if (!row) throw deploymentNotFound(name);
      await nextRevision(trx);
      await trx.deleteFrom('deployments').where('name', '=', name).execute();
      return toDeployment(row);
    });
  }
}

async function nextRevision(trx: Transaction<ServingTables>): Promise<number> {
  // The update takes the row lock on PostgreSQL, so concurrent writers get distinct numbers.
  const row = await trx
    .updateTable('deployment_revisions')
    .set((eb) => ({ revision: eb('revision', '+', 1) }))
    .where('id', '=', 1)
    .returning('revision')
    .executeTakeFirstOrThrow();
  return Number(row.revision);
}

function toDeployment(row: DeploymentsTable): Deployment {
  return {
    name: row.name,
    workspace: row.workspace,
    description: row.description,
    spec: JSON.parse(row.spec) as DeploymentSpec,
    traffic: JSON.parse(row.traffic) as DeploymentTraffic,
    canary: row.canary ? (JSON.parse(row.canary) as unknown) : null,
    revision: Number(row.revision),
    created_at: Number(row.created_at),
    updated_at: Number(row.updated_at),
    created_by: row.created_by,
    updated_by: row.updated_by,
  };
}
