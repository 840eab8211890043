/**
 * Mergeable column and dataset profiles (counts, moments, KLL quantiles, HyperLogLog distinct
 * counts, frequent items) and drift computed from them. See README.md.
 */
export {
  ColumnProfile,
  type ColumnCounts,
  type ColumnProfileState,
  type ProfileColumn,
  type ProfileDtype,
  type ProfileOptions,
  type ResolvedProfileOptions,
} from './column-profile.js';
export { DatasetProfile, mergeProfiles, profileColumns, type ProfileColumns } from './dataset-profile.js';
export { ProfileError } from './errors.js';
export { FrequentItems, type Item, type ItemEstimate } from './frequent-items.js';
export { HyperLogLog } from './hll.js';
export { KllSketch, kllRankError, type KllSortedView } from './kll.js';
export {
  detectColumnDriftOnProfiles,
  detectDatasetDriftOnProfiles,
  inferProfileColumnType,
  type ProfileColumnDriftResult,
  type ProfileDatasetDriftResult,
} from './profile-drift.js';
export { PROFILE_STAT_TESTS } from './profile-stattests.js';
export { deserializeProfile, PROFILE_FORMAT, PROFILE_VERSION, serializeProfile, type SerializedProfile } from './serialize.js';
