import React from 'react';
import { css } from '@emotion/css';
import type { GrafanaTheme2 } from '@grafana/data';
import { SceneObjectBase, sceneGraph, type SceneComponentProps, type SceneObjectState } from '@grafana/scenes';
import { ClipboardButton, Stack, Text, useStyles2 } from '@grafana/ui';
import { frameRow, type Row } from '../../frames/frameRows';
import { JOB_FIELDS as F } from '../../frames/frameFields';
import { isFinished } from './JobSummary';

interface State extends SceneObjectState {
  jobId: string;
}

/** The Slurm commands an operator uses on this job in its state, most useful first. */
export function jobCommands(jobId: string, row: Row | undefined): Array<{ what: string; command: string }> {
  const id = jobId;
  const base = String(row?.[F.stateBase] ?? '');
  const reason = String(row?.[F.reason] ?? '');
  const show = { what: 'Full record', command: `scontrol show job ${id}` };
  if (!row || isFinished(row)) {
    return [
      { what: 'Accounting', command: `sacct -j ${id} --format=JobID,State,Elapsed,TotalCPU,MaxRSS,ExitCode` },
      show,
    ];
  }
  if (base === 'PENDING') {
    const held = /^JobHeld(User|Admin)$/.test(reason);
    return [
      show,
      held ? { what: 'Release', command: `scontrol release ${id}` } : { what: 'Hold', command: `scontrol hold ${id}` },
      { what: 'Cancel', command: `scancel ${id}` },
    ];
  }
  return [
    show,
    { what: 'Live usage', command: `sstat -j ${id} --format=JobID,AveCPU,MaxRSS,MaxDiskRead,MaxDiskWrite` },
    { what: 'Requeue', command: `scontrol requeue ${id}` },
    { what: 'Cancel', command: `scancel ${id}` },
  ];
}

/**
 * Operator actions on the job: the Slurm commands that act on it in its current state, each ready to copy.
 * The bar reads the page's job row (its parent's data), so it follows the job's state on every refresh.
 */
export class JobActions extends SceneObjectBase<State> {
  static Component = ({ model }: SceneComponentProps<JobActions>) => <JobActionsView model={model} />;
}

function JobActionsView({ model }: SceneComponentProps<JobActions>) {
  const { data } = sceneGraph.getData(model).useState();
  const styles = useStyles2(getStyles);
  const row = frameRow(data?.series[0]);
  const commands = jobCommands(model.state.jobId, row);
  return (
    <section aria-label="Job actions" className={styles.bar}>
      <Text element="h3" variant="h5">
        Slurm commands
      </Text>
      <Stack direction="row" gap={1} wrap="wrap">
        {commands.map(({ what, command }) => (
          <div key={command} className={styles.command}>
            <Text variant="bodySmall" color="secondary">
              {what}
            </Text>
            <code className={styles.code}>{command}</code>
            <ClipboardButton size="sm" variant="secondary" fill="text" icon="copy" getText={() => command}>
              Copy
            </ClipboardButton>
          </div>
        ))}
      </Stack>
    </section>
  );
}

const getStyles = (theme: GrafanaTheme2) => ({
  bar: css({
    display: 'flex',
    flexDirection: 'column',
    gap: theme.spacing(1),
    padding: theme.spacing(1.5, 2),
    border: `1px solid ${theme.colors.border.weak}`,
    borderRadius: theme.shape.radius.default,
    background: theme.colors.background.secondary,
    width: '100%',
  }),
  command: css({ display: 'flex', alignItems: 'center', gap: theme.spacing(1) }),
  code: css({ fontFamily: theme.typography.fontFamilyMonospace, fontSize: theme.typography.bodySmall.fontSize }),
});
