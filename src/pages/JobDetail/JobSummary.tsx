import React from 'react';
import { dateTime, LoadingState } from '@grafana/data';
import { SceneObjectBase, sceneGraph, type SceneComponentProps, type SceneObjectState } from '@grafana/scenes';
import { Alert, LoadingPlaceholder, TextLink } from '@grafana/ui';
import { FactGrid, type Fact } from '../../components/FactGrid/FactGrid';
import { expandHostlist } from '../../utils/hostlist';
import { formatMegabytes, formatMinutes, frameRow, timeOf, type Row } from '../../frames/frameRows';
import { appLink } from '../../scenes/panels';
import { JOB_FIELDS as F } from '../../frames/frameFields';
import { JobTimeline } from './JobTimeline';

interface JobSummaryState extends SceneObjectState {
  jobId: string;
}

/** Slurm sets end_time to the projected end while a job runs; only a job that left these states ended. */
export function isFinished(row: Row): boolean {
  const base = String(row[F.stateBase] ?? '');
  return !['RUNNING', 'PENDING', 'SUSPENDED', 'CONFIGURING', 'COMPLETING', 'REQUEUED', 'RESIZING'].includes(base);
}

const text = (v: unknown) => (v === null || v === undefined ? '' : String(v));

/** The job's Slurm fields as an operator reads them (memory in GB, the time limit in hours). */
function facts(row: Row): Fact[] {
  const finished = isFinished(row);
  const list: Fact[] = [
    { label: 'State', value: text(row[F.state]) },
    { label: 'Reason', value: text(row[F.reason]) === 'None' ? '' : text(row[F.reason]) },
    { label: 'Name', value: text(row[F.name]) },
    { label: 'User', value: text(row[F.user]) },
    { label: 'Account', value: text(row[F.account]) },
    { label: 'Partition', value: text(row[F.partition]) },
    { label: 'QOS', value: text(row[F.qos]) },
    { label: 'Priority', value: text(row[F.priority]) },
    { label: 'Nodes', value: text(row[F.nodeCount]) },
    { label: 'CPUs', value: text(row[F.cpus]) },
    { label: 'Memory', value: formatMegabytes(row[F.memoryMb]) },
    { label: 'GPUs requested', value: text(row[F.gpusRequested]) },
    { label: 'GPUs allocated', value: text(row[F.gpusAllocated]) },
    { label: 'Time limit', value: formatMinutes(row[F.timeLimit]) },
    { label: 'Working directory', value: text(row[F.workDir]) },
  ];
  // How a job ended means nothing while it runs or waits.
  if (finished) {
    list.push(
      { label: 'Exit status', value: text(row[F.exitStatus]) },
      { label: 'Exit code', value: text(row[F.exitCode]) }
    );
  }
  return list;
}

/**
 * The Slurm side of a job: its fields, timeline and allocated nodes. Scenes has no panel for a record
 * with a timeline and links, so this is plain React reading the page's query result. When the job is
 * known it also points the page's time range at the job's run ([start, end], or now), so the accounting
 * record and the hardware panels cover it.
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

  /** Once per page: narrow the time range to the job's run. */
  private focus(row: Row | undefined) {
    if (!row || this.focused) {
      return;
    }
    this.focused = true;
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
          the page&apos;s time range.
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
        <FactGrid label="Job" facts={facts(row)} />
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
