import type { CreateExperimentResponse, CreateRunResponse } from '@capstan/contracts';
import { MLFLOW_API_PREFIX, MLFLOW_ROUTES, type MlflowRpcName } from '../../packages/contracts/src/mlflow/routes.js';
import type { HttpClient } from './http.js';

/** Absolute path of an MLflow RPC, from the shared route table. */
export function rpcPath(name: MlflowRpcName): string {
  return `${MLFLOW_API_PREFIX}${MLFLOW_ROUTES[name].path}`;
}

export async function createExperiment(http: HttpClient, name: string): Promise<string> {
  const res = await http.post(rpcPath('createExperiment'), { name });
  return (JSON.parse(res.text) as CreateExperimentResponse).experiment_id;
}

export async function createRun(http: HttpClient, experimentId: string, runName: string, startTime: number): Promise<string> {
  const res = await http.post(rpcPath('createRun'), { experiment_id: experimentId, run_name: runName, start_time: startTime });
  return (JSON.parse(res.text) as CreateRunResponse).run.info.run_id;
}
