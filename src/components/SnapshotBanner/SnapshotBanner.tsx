import React from 'react';
import {
  SceneObjectBase,
  sceneGraph,
  VariableDependencyConfig,
  type SceneComponentProps,
  type SceneObjectState,
} from '@grafana/scenes';
import { Alert } from '@grafana/ui';
import { errorMessage, fetchSnapshotStatus, type SnapshotStatus } from '../../api/slurmResources';

interface SnapshotBannerState extends SceneObjectState {
  /** Usually `${cluster}`: the banner follows the cluster picker. */
  datasourceUid: string;
  status?: SnapshotStatus;
  error?: string;
  /** How often to ask again; the backend's own poll interval is 30 s by default. */
  pollMs?: number;
}

/** "3 min 20 s" from seconds, for people reading a banner. */
export function formatAge(seconds: number): string {
  const s = Math.max(0, Math.round(seconds));
  if (s < 60) {
    return `${s} s`;
  }
  if (s < 3600) {
    return `${Math.floor(s / 60)} min ${s % 60} s`;
  }
  return `${Math.floor(s / 3600)} h ${Math.floor((s % 3600) / 60)} min`;
}

/**
 * Tells the operator when Slurm data is not live: slurmrestd failing (the backend serves its last good
 * snapshot, marked stale) or the data source not answering at all. The panels below keep their data; this
 * only adds the snapshot's age, from the `snapshot/status` resource route.
 */
export class SnapshotBanner extends SceneObjectBase<SnapshotBannerState> {
  protected _variableDependency = new VariableDependencyConfig(this, {
    statePaths: ['datasourceUid'],
    onReferencedVariableValueChanged: () => this.refresh(),
  });

  constructor(state: SnapshotBannerState) {
    super(state);
    this.addActivationHandler(() => {
      this.refresh();
      const timer = setInterval(() => this.refresh(), this.state.pollMs ?? 30_000);
      return () => clearInterval(timer);
    });
  }

  async refresh() {
    const uid = sceneGraph.interpolate(this, this.state.datasourceUid);
    try {
      const status = await fetchSnapshotStatus(uid);
      this.setState({ status, error: undefined });
    } catch (err) {
      this.setState({ error: errorMessage(err) });
    }
  }

  static Component = ({ model }: SceneComponentProps<SnapshotBanner>) => {
    const { status, error } = model.useState();
    if (error) {
      return (
        <Alert severity="error" title="The Slurm data source does not answer">
          {error}. Panels show what they last received.
        </Alert>
      );
    }
    if (status?.stale) {
      return (
        <Alert severity="warning" title={`Slurm data is ${formatAge(status.ageSeconds)} old`}>
          slurmrestd is failing{status.lastError ? `: ${status.lastError}` : ''}. The last good snapshot stays visible
          until it is too old to serve.
        </Alert>
      );
    }
    return null;
  };
}
