import type { MlflowArtifactsRpcName } from '@capstan/contracts';
import type { AccessRule, ObjectLocator } from '../../security/index.js';

/**
 * How tracking routes name the experiment they act on. Each locator reads the request exactly as
 * its handler will (same fields, same precedence), so a request cannot be authorized for one
 * experiment and then act on another.
 */
export interface TrackingLocators {
  byExperimentId: ObjectLocator;
  byExperimentName: ObjectLocator;
  byRunId: ObjectLocator;
  byRunIds: ObjectLocator;
  byModelId: ObjectLocator;
  byArtifactPath: ObjectLocator;
  /** The workspace of an experiment by wire id, for grants. */
  workspaceOf(experimentId: string): Promise<string | undefined>;
}

/** Rules of the artifact proxy's routes, plus the two routes that are not proxy RPCs. */
export type ArtifactRules = Record<MlflowArtifactsRpcName, AccessRule> & { uploadPart: AccessRule; loggedModelFile: AccessRule };
