import type { HistoricalFeaturesRequest, HistoricalFeaturesResponse } from '@capstan/contracts';
import type { FeatureService } from './feature-service.js';
import { serviceColumnDtypes, type ServiceColumns, type ServiceEntities } from './online-result.js';
import { decodeValue, type InputColumns } from './wire-values.js';

/**
 * A point-in-time retrieval by a feature service object: the wire request without the feature
 * list, and an entity table that must hold the service's join keys and request values (plus the
 * event time column and any other columns, such as labels, which come back unchanged).
 */
export type ServiceHistoricalRequest<S extends FeatureService, Full extends boolean = false> = Omit<
  HistoricalFeaturesRequest,
  'features' | 'feature_service' | 'entity_rows' | 'full_feature_names'
> & {
  entity_rows?: ServiceEntities<S> & InputColumns;
  full_feature_names?: Full;
};

/** The response, with the service's columns typed (and decoded) when the rows are returned. */
export type HistoricalFeatures<C extends object> = Omit<HistoricalFeaturesResponse, 'values'> & {
  values?: C & Record<string, unknown[]>;
};

export function toHistoricalFeatures<S extends FeatureService, Full extends boolean>(
  service: S,
  response: HistoricalFeaturesResponse,
  fullFeatureNames: boolean,
): HistoricalFeatures<ServiceColumns<S, Full>> {
  if (!response.values) return response as HistoricalFeatures<ServiceColumns<S, Full>>;
  const dtypes = serviceColumnDtypes(service.outputs, fullFeatureNames);
  const values = Object.fromEntries(
    Object.entries(response.values).map(([column, list]) => {
      const dtype = dtypes.get(column);
      return [column, dtype ? list.map((v) => decodeValue(dtype, v)) : list];
    }),
  );
  // The columns are the service's, as its definition says; the server answers with that definition.
  return { ...response, values } as HistoricalFeatures<ServiceColumns<S, Full>>;
}
