import React from 'react';
import { dateTime, LoadingState } from '@grafana/data';
import {
  SceneObjectBase,
  sceneGraph,
  TextBoxVariable,
  type SceneComponentProps,
  type SceneObjectState,
} from '@grafana/scenes';
import { Alert, LoadingPlaceholder, TextLink } from '@grafana/ui';
import { expandHostlist, regexEscape } from '../hostlist';
import { frameRow, timeOf, type Row } from '../frameRows';
import { appLink } from '../panels';
import { JOB_FIELDS as F } from '../frameFields';
import { JobTimeline } from './JobTimeline';

interface JobSummaryState extends SceneObjectState {
  jobId: string;
  /** Variable that receives the job's nodes as a regex, for the Prometheus panels of the page. */
  nodesVariable: string;
  /** Variable that receives the job's allocated CPU count, for the live efficiency. */
  cpusVariable: string;
}

/** Slurm sets end_time to the projected end while a job runs; only a job that left these states ended. */
function isFinished(row: Row): boolean {
  const base = String(row[F.stateBase] ?? '');
  return !['RUNNING', 'PENDING', 'SUSPENDED', 'CONFIGURING', 'COMPLETING', 'REQUEUED', 'RESIZING'].includes(base);
}

const FIELDS: Array<[string, string]> = [
  [F.state, 'State'],
  [F.reason, 'Reason'],
  [F.name, 'Name'],
  [F.user, 'User'],
  [F.account, 'Account'],
  [F.partition, 'Partition'],
  [F.qos, 'QOS'],
  [F.nodeCount, 'Nodes'],
  [F.cpus, 'CPUs'],
  [F.memoryMb, 'Memory (MB)'],
  [F.gpusRequested, 'GPUs requested'],
  [F.gpusAllocated, 'GPUs allocated'],
  [F.timeLimit, 'Time limit (min)'],
  [F.priority, 'Priority'],
  [F.exitStatus, 'Exit status'],
  [F.exitCode, 'Exit code'],
  [F.workDir, 'Working directory'],
];

/**
 * The Slurm side of a job: its fields, timeline and allocated nodes. Scenes has no panel for a record
 * with a timeline and links, so this is plain React reading the page's query result. When the job is
 * known it also points the page at the job: the time range becomes [start, end] (or now) and the
 * node variable lists its nodes, so the Prometheus panels show that window on those nodes.
 */
export class JobSummary extends SceneObjectBase<JobSummaryState> {
  private focused = false;

  constructor(state: JobSummaryState) {
    super(state);
    this.addActivationHandler(() => {
      const data = sceneGraph.getData(this);
      const sub = data.subscribeToState((s) => this.focus(frameRow(s.data?.series[0])));
      this.focus(frameRow(data.state.data?.series[0]));
      return () => sub.unsubscribe();
    });
  }

  /** Once per page: narrow the time range and the node variable to the job. */
  private focus(row: Row | undefined) {
    if (!row || this.focused) {
      return;
    }
    this.focused = true;
    const nodes = expandHostlist(row[F.nodes] as string | null);
    const variable = sceneGraph.lookupVariable(this.state.nodesVariable, this);
    if (variable instanceof TextBoxVariable && nodes.length > 0) {
      variable.setValue(nodes.map(regexEscape).join('|'));
    }
    const cpus = sceneGraph.lookupVariable(this.state.cpusVariable, this);
    if (cpus instanceof TextBoxVariable && Number(row[F.cpus]) > 0) {
      cpus.setValue(String(row[F.cpus]));
    }
    const start = timeOf(row[F.startTime]);
    if (start !== null) {
      const end = (isFinished(row) ? timeOf(row[F.endTime]) : null) ?? Date.now();
      // A little margin so the start and end of the job are visible on the time axis.
      const margin = Math.max(60_000, (end - start) * 0.05);
      const from = dateTime(start - margin);
      const to = dateTime(end + margin);
      sceneGraph.getTimeRange(this).onTimeRangeChange({ from, to, raw: { from, to } });
    }
  }

  static Component = ({ model }: SceneComponentProps<JobSummary>) => {
    const { data } = sceneGraph.getData(model).useState();
    const row = frameRow(data?.series[0]);
    if (!row) {
      if (!data || data.state === LoadingState.Loading || data.state === LoadingState.NotStarted) {
        return <LoadingPlaceholder text="Loading job…" />;
      }
      if (data.state === LoadingState.Error) {
        return (
          <Alert severity="error" title="Could not load the job">
            {data.errors?.[0]?.message}
          </Alert>
        );
      }
      return (
        <Alert severity="info" title={`Job ${model.state.jobId} is not in the queue`}>
          Slurm no longer lists it (finished jobs leave the queue after MinJobAge); its accounting record below covers
          the dashboard time range.
        </Alert>
      );
    }
    const nodes = expandHostlist(row[F.nodes] as string | null, 500);
    return (
      <div>
        <JobTimeline
          submit={row[F.submitTime]}
          eligible={row[F.eligibleTime]}
          start={row[F.startTime]}
          end={row[F.endTime]}
          finished={isFinished(row)}
          now={Date.now()}
        />
        <dl style={{ display: 'grid', gridTemplateColumns: 'max-content 1fr', columnGap: 16, rowGap: 4 }}>
          {FIELDS.filter(([key]) => row[key] !== undefined).map(([key, label]) => (
            <React.Fragment key={key}>
              <dt>{label}</dt>
              <dd style={{ margin: 0 }}>{row[key] === null || row[key] === '' ? '—' : String(row[key])}</dd>
            </React.Fragment>
          ))}
        </dl>
        <h3>Allocated nodes</h3>
        {nodes.length === 0 ? (
          <p>None yet: the job has not started.</p>
        ) : (
          <ul
            aria-label="Allocated nodes"
            style={{ display: 'flex', flexWrap: 'wrap', gap: 8, listStyle: 'none', padding: 0 }}
          >
            {nodes.map((n) => (
              <li key={n}>
                <TextLink href={sceneGraph.interpolate(model, appLink(`nodes/${encodeURIComponent(n)}`))}>{n}</TextLink>
              </li>
            ))}
          </ul>
        )}
      </div>
    );
  };
}
