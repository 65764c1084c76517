import React from 'react';
import { LoadingState } from '@grafana/data';
import { SceneObjectBase, sceneGraph, type SceneComponentProps, type SceneObjectState } from '@grafana/scenes';
import { Alert } from '@grafana/ui';

interface State extends SceneObjectState {
  jobId: string;
}

/**
 * Says whether the hardware series below are the job's own. Its data is a count of Prometheus series
 * carrying `jobid="<id>"` (cgroup / jobstats exporters label per-job series that way, DESIGN §6): none
 * means the series are node-level and jobs sharing a node are not separated.
 */
export class PerJobSeriesNote extends SceneObjectBase<State> {
  static Component = ({ model }: SceneComponentProps<PerJobSeriesNote>) => {
    const { data } = sceneGraph.getData(model).useState();
    // Loading, or Prometheus failing (its panels show that error): say nothing rather than guess.
    if (!data || data.state !== LoadingState.Done) {
      return null;
    }
    const found = data.series.some((f) => f.length > 0);
    return found ? (
      <Alert severity="success" title="Per-job series available">
        A cgroup / jobstats exporter labels series with jobid=&quot;{model.state.jobId}&quot;: the job CPU and memory
        panels show this job alone; the node panels below show its whole nodes.
      </Alert>
    ) : (
      <Alert severity="info" title="Node-level series: shared nodes not separated">
        No Prometheus series carries jobid=&quot;{model.state.jobId}&quot; (no cgroup / jobstats exporter for it). The
        panels below show the whole nodes the job ran on, including any other jobs sharing them.
      </Alert>
    );
  };
}
