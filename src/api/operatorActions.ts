import { lastValueFrom } from 'rxjs';
import { getBackendSrv } from '@grafana/runtime';
import { getResourceJson, resourceUrl } from '../datasource/resources';

/** The operator actions the data source performs (pkg/actions), named as Slurm's commands name them. */
export type JobActionName = 'cancel' | 'hold' | 'release' | 'requeue';
export type NodeActionName = 'drain' | 'resume';
export type ActionName = JobActionName | NodeActionName;
export type ActionFamily = 'jobs' | 'nodes';

/** One action's entry in `actions/capabilities` (pkg/plugin resource_actions_caps.go). */
export interface ActionCapability {
  family: ActionFamily;
  allowed: boolean;
  /** Why not, for code: no-user, role, rbac, rbac-unknown, unsupported, unmapped, denied-identity, identity-unknown. */
  code?: string;
  /** Why not, in words (the button's tooltip). */
  reason?: string;
  minRole: string;
  /** The oldest slurmrestd API version that has it. */
  since: string;
  needsReason: boolean;
}

/** Body of `GET actions/capabilities`: what this user may do on this data source, and why not. */
export interface ActionCapabilities {
  apiVersion: string;
  user: { login: string; role: string } | null;
  identity: { mode: 'datasource' | 'grafanaUser'; slurmUser?: string; allowed: boolean; reason?: string };
  rbac: { checked: boolean; note: string };
  audit: { annotations: boolean; note?: string };
  /** Most nodes (after hostlist expansion) or jobs one action may take. */
  maxTargets: number;
  actions: Record<ActionName, ActionCapability>;
}

export type ActionResult = 'done' | 'refused' | 'invalid' | 'unsupported' | 'failed';

/** What happened to one job or node. */
export interface TargetResult {
  target: string;
  result: ActionResult;
  /** Slurm's own message, or why it was refused. */
  message?: string;
  warnings?: string[];
}

/** Body of every action route's answer, whatever its HTTP status. */
export interface ActionAnswer {
  action: string;
  slurmUser?: string;
  results: TargetResult[];
  /** Set when the request as a whole was refused, with the field at fault for a 400. */
  error?: string;
  code?: string;
  field?: string;
  audit: { annotations: boolean; note?: string };
}

export async function fetchActionCapabilities(datasourceUid: string): Promise<ActionCapabilities> {
  const answer = await getResourceJson<Partial<ActionCapabilities> | null>(datasourceUid, 'actions/capabilities');
  if (!answer || typeof answer.actions !== 'object' || answer.actions === null) {
    // A data source of a version without operator actions, or something else answering.
    throw new Error('the data source does not say which actions it offers (is the plugin up to date?)');
  }
  return answer as ActionCapabilities;
}

export const JOB_ACTIONS: JobActionName[] = ['cancel', 'hold', 'release', 'requeue'];

export function familyOf(action: ActionName): ActionFamily {
  return (JOB_ACTIONS as string[]).includes(action) ? 'jobs' : 'nodes';
}

export interface ActionRequest {
  action: ActionName;
  /** Job ids (123, 123_4) or node names; several go to the bulk route. */
  targets: string[];
  reason?: string;
}

/** The route and body of a request: one target in the path, several through `bulk`. */
export function actionRoute(req: ActionRequest): { path: string; body: Record<string, unknown> } {
  const family = familyOf(req.action);
  const reason = req.reason?.trim() ? { reason: req.reason.trim() } : {};
  if (req.targets.length === 1) {
    return { path: `actions/${family}/${encodeURIComponent(req.targets[0])}/${req.action}`, body: reason };
  }
  const targets = family === 'jobs' ? { jobs: req.targets } : { nodes: req.targets };
  return { path: `actions/${family}/bulk`, body: { action: req.action, ...targets, ...reason } };
}

/**
 * POST one action. The data source answers every outcome with an ActionAnswer (a refusal too, with its
 * HTTP status); only a failure without such an answer (Grafana or the network) is thrown.
 */
export async function runAction(datasourceUid: string, req: ActionRequest): Promise<ActionAnswer> {
  const { path, body } = actionRoute(req);
  try {
    const response = await lastValueFrom(
      getBackendSrv().fetch<ActionAnswer>({
        url: resourceUrl(datasourceUid, path),
        method: 'POST',
        data: body,
        showErrorAlert: false,
        showSuccessAlert: false,
      })
    );
    return response.data;
  } catch (err) {
    const data = (err as { data?: Partial<ActionAnswer> })?.data;
    if (data && Array.isArray(data.results)) {
      return data as ActionAnswer;
    }
    throw err;
  }
}
