import React from 'react';
import { LoadingState, type PanelData } from '@grafana/data';
import {
  SceneFlexItem,
  SceneFlexLayout,
  SceneObjectBase,
  type SceneComponentProps,
  type SceneDataProvider,
  type SceneObjectState,
} from '@grafana/scenes';
import type { DataSourceRef } from '@grafana/schema';
import { Alert, LoadingPlaceholder } from '@grafana/ui';
import type { NodeMapping } from '../../settings';
import { frameRow, type Row } from '../../frames/frameRows';
import { JOB_FIELDS, JOB_HISTORY_FIELDS } from '../../frames/frameFields';
import { jobCgroup, jobNodesHardware, perJobSeriesCount, type JobPlacement } from '../../promql/hardwareQueries';
import { expandHostlist, regexEscape } from '../../utils/hostlist';
import { promQuery, promRow, promRows } from '../../scenes/panels';
import { PerJobSeriesNote } from './PerJobSeriesNote';

interface State extends SceneObjectState {
  jobId: string;
  prometheus: DataSourceRef;
  nodeMapping: NodeMapping;
  /** The panels, once the job's nodes are known. */
  body?: SceneFlexLayout;
  /** Why there are no panels (yet). */
  waiting: 'loading' | 'not-started' | 'unknown';
}

/**
 * Where a job ran, from its queue row or else its accounting record: undefined while it has no nodes. The
 * placement names the job by its numeric Slurm id, the one exporters label its series with: for the array
 * task 1014_1 that is its own id (say 1018), which only the row knows.
 */
export function placementOf(jobId: string, queue?: Row, accounting?: Row): JobPlacement | undefined {
  for (const [row, nodesField, cpusField, idField] of [
    [queue, JOB_FIELDS.nodes, JOB_FIELDS.cpus, JOB_FIELDS.slurmJobId],
    [accounting, JOB_HISTORY_FIELDS.nodes, JOB_HISTORY_FIELDS.cpus, JOB_HISTORY_FIELDS.slurmJobId],
  ] as const) {
    const list = String(row?.[nodesField] ?? '');
    // slurmdbd writes "None assigned" for a job that has not run.
    const nodes = /^none assigned$|^\(null\)$/i.test(list.trim()) ? [] : expandHostlist(list);
    if (row && nodes.length > 0) {
      const cpus = Number(row[cpusField]);
      const slurmId = Number(row[idField]);
      return {
        jobId: Number.isInteger(slurmId) && slurmId > 0 ? String(slurmId) : jobId,
        nodesRegex: nodes.map(regexEscape).join('|'),
        cpus: Number.isFinite(cpus) && cpus > 0 ? cpus : 0,
      };
    }
  }
  return undefined;
}

function answered(data: PanelData | undefined): boolean {
  return data?.state === LoadingState.Done || data?.state === LoadingState.Error;
}

/**
 * The Prometheus side of the job page. Its queries name the job's nodes and CPU count, so none is sent
 * before Slurm answered with them: the panels are built once the job's queue row (or, for a job that left
 * the queue, its accounting record) names its nodes, with those values written into each expression.
 * Until then, and for a job that has not started, it says why there is nothing to show.
 */
export class JobHardware extends SceneObjectBase<State> {
  private placementKey = '';
  private cgroupSub?: { unsubscribe(): void };

  constructor(
    state: Omit<State, 'waiting' | 'body'>,
    private readonly sources: { queue: SceneDataProvider; accounting: SceneDataProvider }
  ) {
    super({ ...state, waiting: 'loading' });
    this.addActivationHandler(() => {
      const update = () => this.update();
      const subs = [sources.queue.subscribeToState(update), sources.accounting.subscribeToState(update)];
      update();
      return () => {
        subs.forEach((s) => s.unsubscribe());
        this.cgroupSub?.unsubscribe();
        this.cgroupSub = undefined;
        this.placementKey = '';
      };
    });
  }

  private update() {
    const queueData = this.sources.queue.state.data;
    const accountingData = this.sources.accounting.state.data;
    const queue = frameRow(queueData?.series[0]);
    const accounting = frameRow(accountingData?.series[0]);
    const placement = placementOf(this.state.jobId, queue, accounting);
    if (!placement) {
      const known = Boolean(queue || accounting);
      const waiting = known ? 'not-started' : answered(queueData) && answered(accountingData) ? 'unknown' : 'loading';
      if (waiting !== this.state.waiting || this.state.body) {
        this.placementKey = '';
        this.setState({ waiting, body: undefined });
      }
      return;
    }
    const key = `${placement.nodesRegex}/${placement.cpus}`;
    if (key === this.placementKey) {
      return;
    }
    this.placementKey = key;
    this.setState({ body: this.panels(placement) });
  }

  private panels(placement: JobPlacement): SceneFlexLayout {
    const { prometheus, nodeMapping } = this.state;
    const count = promQuery(prometheus, [{ expr: perJobSeriesCount(placement.jobId) }], true);
    // The job's own cgroup panels only when an exporter labels series with its id; empty panels otherwise.
    const cgroup = new SceneFlexItem({
      isHidden: true,
      minHeight: 220,
      body: promRow(prometheus, jobCgroup(placement.jobId)),
    });
    this.cgroupSub?.unsubscribe();
    this.cgroupSub = count.subscribeToState((s) => {
      const found = s.data?.state === LoadingState.Done && s.data.series.some((f) => f.length > 0);
      if (cgroup.state.isHidden === found) {
        cgroup.setState({ isHidden: !found });
      }
    });
    return new SceneFlexLayout({
      direction: 'column',
      children: [
        new SceneFlexItem({ ySizing: 'content', $data: count, body: new PerJobSeriesNote({ jobId: placement.jobId }) }),
        cgroup,
        ...promRows(prometheus, jobNodesHardware(placement, nodeMapping), 220),
      ],
    });
  }

  static Component = ({ model }: SceneComponentProps<JobHardware>) => {
    const { body, waiting, jobId } = model.useState();
    if (body) {
      return <body.Component model={body} />;
    }
    switch (waiting) {
      case 'not-started':
        return (
          <Alert severity="info" title="No hardware series yet">
            Job {jobId} has not started: Slurm has not given it nodes, so there is no hardware to show. The panels
            appear here once it runs.
          </Alert>
        );
      case 'unknown':
        return (
          <Alert severity="info" title="No hardware series">
            Neither the queue nor accounting in this time range knows where job {jobId} ran; widen the time range to the
            job&apos;s run to see its nodes&apos; hardware.
          </Alert>
        );
      default:
        return <LoadingPlaceholder text="Finding the job's nodes…" />;
    }
  };
}
