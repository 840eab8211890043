// A fixture repository split over files, as users write one. It imports the SDK's sources because
// '@capstan/sdk' resolves to its build under tsx; a real repository imports '@capstan/sdk'.
import { entity, Int64 } from '../../../../../sdk/src/index.js';

export const project = 'driver_ranking';

export const driver = entity({ name: 'driver', joinKeys: { driver_id: Int64 }, description: 'A driver of the fleet' });
