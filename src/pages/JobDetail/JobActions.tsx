import React from 'react';
import { css } from '@emotion/css';
import type { GrafanaTheme2 } from '@grafana/data';
import { SceneObjectBase, sceneGraph, type SceneComponentProps, type SceneObjectState } from '@grafana/scenes';
import { ClipboardButton, Stack, Text, useStyles2 } from '@grafana/ui';
import { frameRow, type Row } from '../../frames/frameRows';
import { JOB_FIELDS as F } from '../../frames/frameFields';
import { ActionBar } from '../../components/Actions/ActionBar';
import { ACTIONABLE_JOB_ID, refreshPage } from '../../components/Actions/ActionScenes';
import { jobActionsFor } from '../../components/Actions/actionsFor';
import { useActionCapabilities } from '../../components/Actions/useActionCapabilities';
import { isFinished } from './JobSummary';

interface State extends SceneObjectState {
  jobId: string;
  /** The Slurm data source the actions go to: "${cluster}", the page's cluster picker. */
  datasourceUid: string;
}

/** Why the job offers no action button, or undefined when it offers some (or is still loading). */
export function noActionText(jobId: string, row: Row | undefined): string | undefined {
  if (!row) {
    return undefined;
  }
  if (isFinished(row)) {
    return 'The job has ended: nothing is left to act on.';
  }
  if (!ACTIONABLE_JOB_ID.test(jobId)) {
    const array = jobId.replace(/_\[.*\]$/, '');
    return `These tasks are still one pending record: act on a task by its id (${array}_5) or on the whole array (${array}).`;
  }
  return undefined;
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
 * Operator actions on the job: buttons for what may be done to it in its state (disabled, with the reason,
 * when this user may not), and the Slurm commands that do the same, each ready to copy. The bar reads the
 * page's job row (its parent's data), so it follows the job's state on every refresh.
 */
export class JobActions extends SceneObjectBase<State> {
  static Component = ({ model }: SceneComponentProps<JobActions>) => <JobActionsView model={model} />;
}

function JobActionsView({ model }: SceneComponentProps<JobActions>) {
  const { data } = sceneGraph.getData(model).useState();
  const styles = useStyles2(getStyles);
  const row = frameRow(data?.series[0]);
  const { jobId } = model.state;
  const commands = jobCommands(jobId, row);
  const uid = sceneGraph.interpolate(model, model.state.datasourceUid);
  const capabilities = useActionCapabilities(uid);
  const none = noActionText(jobId, row);
  const actions = row && !none ? jobActionsFor(String(row[F.stateBase] ?? ''), String(row[F.reason] ?? '')) : [];
  return (
    <section aria-label="Job actions" className={styles.bar}>
      {actions.length > 0 && (
        <ActionBar
          datasourceUid={uid}
          actions={actions}
          targets={[jobId]}
          capabilities={capabilities}
          onDone={() => refreshPage(model)}
        />
      )}
      {none && (
        <Text variant="bodySmall" color="secondary">
          {none}
        </Text>
      )}
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
