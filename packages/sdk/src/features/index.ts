/**
 * The feature store in the SDK: definitions as code (`entity`, sources, `featureView`,
 * `onDemandFeatureView`, `featureService`, `featureRepo`) with types inferred from their schemas,
 * their wire form (`toDefinition`), and `client.features`. See README.md in this folder.
 */
export { Bool, Bytes, Float32, Float64, Int32, Int64, List, String, UnixTimestamp, type Dtype, type JsonOf, type ScalarDtype, type ValueOf } from './dtypes.js';
export { field, type FieldDefinition, type JsonRowOf, type RowOf, type Schema, type TransformOutput } from './schema.js';
export { durationSeconds, type Duration } from './durations.js';
export type { MetaOptions } from './feature-object.js';
export { entity, type Entity } from './entity.js';
export {
  fileSource,
  pushSource,
  requestSource,
  sqlTableSource,
  type BatchSource,
  type BatchSourceOptions,
  type DataSource,
  type FileSource,
  type PushSource,
  type RequestSource,
  type SqlTableSource,
} from './sources.js';
export { featureView, type FeatureView, type FeatureViewOptions, type KeysOf } from './feature-view.js';
export {
  onDemandFeatureView,
  type OnDemandFeatureView,
  type OnDemandFeatureViewOptions,
  type OnDemandSource,
  type TransformKeys,
  type TransformRequest,
  type TransformRow,
} from './on-demand-feature-view.js';
export type { FeatureSelection } from './selection.js';
export { featureService, type FeatureService, type ServiceItem, type ServiceOutput, type ServiceTypes, type ServiceTypesOf } from './feature-service.js';
export { featureRepo, isFeatureRepo, isRepoObject, type FeatureRepo, type RepoObject } from './feature-repo.js';
export { toDefinition } from './to-definition.js';
export { mergeDefinitions } from './merge-definitions.js';
export { assertValidDefinition, definitionProblems } from './validate-definition.js';
export { FeatureDefinitionError } from './definition-error.js';
export type { OnlineFeatures, ServiceColumns, ServiceEntities } from './online-result.js';
export type { HistoricalFeatures, ServiceHistoricalRequest } from './historical-result.js';
export type { FeatureInputValue, InputColumns } from './wire-values.js';
export { FeaturesClient, type FeatureProjectSummary, type PushRequest, type WriteToOnlineStoreInput } from './features-client.js';
