import React, { useEffect, useState } from 'react';
import { SceneObjectBase, sceneGraph, type SceneComponentProps, type SceneObjectState } from '@grafana/scenes';
import { Alert, LoadingPlaceholder } from '@grafana/ui';
import { fetchPendingExplanation, type PendingAnswer } from '../../api/pendingExplanation';
import { errorMessage } from '../../api/slurmResources';
import { PendingExplanationView } from '../../components/PendingExplanation/PendingExplanation';
import { frameRow } from '../../frames/frameRows';
import { JOB_FIELDS as F } from '../../frames/frameFields';
import { appLink } from '../../scenes/panels';

interface PendingReasonState extends SceneObjectState {
  jobId: string;
  /** The Slurm data source's uid; `${cluster}` on the app's pages. */
  datasourceUid: string;
}

type Loaded = { answer: PendingAnswer } | { error: string } | undefined;

/**
 * "Why it is pending", at the top of a pending job's page: the backend's explanation of Slurm's reason
 * (GET pending/{jobId}), read when the page's job row says PENDING and again whenever that row refreshes.
 * Nothing is shown for a job that is not pending.
 */
export class PendingReason extends SceneObjectBase<PendingReasonState> {
  static Component = PendingReasonRenderer;
}

function PendingReasonRenderer({ model }: SceneComponentProps<PendingReason>) {
  const { jobId, datasourceUid } = model.useState();
  const { data } = sceneGraph.getData(model).useState();
  const row = frameRow(data?.series[0]);
  const pending = row?.[F.stateBase] === 'PENDING';
  const uid = sceneGraph.interpolate(model, datasourceUid);
  const refreshed = data?.timeRange?.to?.valueOf();
  const [loaded, setLoaded] = useState<Loaded>(undefined);

  useEffect(() => {
    if (!pending) {
      return;
    }
    let current = true;
    fetchPendingExplanation(uid, jobId).then(
      (answer) => current && setLoaded({ answer }),
      (err) => current && setLoaded({ error: errorMessage(err) })
    );
    return () => {
      current = false;
    };
  }, [pending, uid, jobId, refreshed]);

  if (!pending) {
    return null;
  }
  if (!loaded) {
    return <LoadingPlaceholder text="Explaining why the job is pending…" />;
  }
  if ('error' in loaded) {
    return (
      <Alert severity="warning" title="Why the job is pending could not be read">
        {loaded.error}. The job&apos;s own fields below still show Slurm&apos;s reason.
      </Alert>
    );
  }
  return (
    <PendingExplanationView
      answer={loaded.answer}
      jobHref={(id) => sceneGraph.interpolate(model, appLink(`jobs/${encodeURIComponent(id)}`))}
    />
  );
}
