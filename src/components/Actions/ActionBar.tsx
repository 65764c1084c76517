import React, { useState } from 'react';
import { css } from '@emotion/css';
import type { GrafanaTheme2 } from '@grafana/data';
import { Alert, Button, ConfirmModal, Field, Input, Stack, Text, Tooltip, useStyles2 } from '@grafana/ui';
import { errorMessage } from '../../api/slurmResources';
import { runAction, type ActionAnswer, type ActionName } from '../../api/operatorActions';
import { ACTION_LABELS, confirmTitle, effectText, outcomeSummary, targetsText } from './actionText';
import type { CapabilitiesState } from './useActionCapabilities';

const MAX_REASON = 256;

interface Props {
  datasourceUid?: string;
  /** The buttons, in order. */
  actions: ActionName[];
  /** Job ids (123, 123_4) or node names the buttons act on. */
  targets: string[];
  capabilities: CapabilitiesState;
  /** Said on the buttons when there is nothing to act on, e.g. "Select jobs in the table first". */
  noTargets?: string;
  /** After Slurm did something: the page refreshes its queries. */
  onDone?: () => void;
}

interface Outcome {
  severity: 'success' | 'warning' | 'error';
  text: string;
  note?: string;
}

/** Why a button is disabled, or undefined when it may be pressed. */
export function disabledReason(action: ActionName, targets: string[], caps: CapabilitiesState, noTargets?: string) {
  if (caps.loading) {
    return 'Checking what you may do on this cluster…';
  }
  if (caps.error || !caps.capabilities) {
    return `Cannot tell what you may do on this cluster: ${caps.error ?? 'no answer'}`;
  }
  const c = caps.capabilities.actions[action];
  if (!c) {
    return 'This data source does not offer this action';
  }
  if (!c.allowed) {
    return c.reason ?? 'Not permitted';
  }
  if (targets.length === 0) {
    return noTargets ?? 'Nothing to act on';
  }
  if (targets.length > caps.capabilities.maxTargets) {
    return `${targets.length} selected: at most ${caps.capabilities.maxTargets} per action on this data source`;
  }
  return undefined;
}

/** The reason field's problem, if any: the same rules the backend applies. */
export function reasonProblem(reason: string, required: boolean): string | undefined {
  if (required && reason.trim() === '') {
    return 'A reason is required: Slurm shows it in sinfo -R and on the node page';
  }
  if ([...reason].length > MAX_REASON) {
    return `At most ${MAX_REASON} characters`;
  }
  if (/[\u0000-\u001f\u007f-\u009f\u200b-\u200f\u202a-\u202e\u2060-\u2064\ufeff]/.test(reason)) {
    return 'Plain text on one line, please (no control characters)';
  }
  return undefined;
}

/**
 * Operator action buttons for some jobs or nodes. A button the user may not press is disabled and its
 * tooltip says why (role, unmapped user, API version…); pressing one asks for confirmation (with the
 * count and, for a drain, the reason) and the outcome is said under the buttons in Slurm's own words.
 */
export function ActionBar({ datasourceUid, actions, targets, capabilities, noTargets, onDone }: Props) {
  const styles = useStyles2(getStyles);
  const [asking, setAsking] = useState<ActionName | undefined>();
  const [reason, setReason] = useState('');
  const [outcome, setOutcome] = useState<Outcome | undefined>();
  const needsReason = asking ? Boolean(capabilities.capabilities?.actions[asking]?.needsReason) : false;
  const problem = asking ? reasonProblem(reason, needsReason) : undefined;

  const confirm = async () => {
    if (!asking || !datasourceUid) {
      return;
    }
    const action = asking;
    let answer: ActionAnswer;
    try {
      answer = await runAction(datasourceUid, { action, targets, reason });
    } catch (err) {
      setOutcome({ severity: 'error', text: `${ACTION_LABELS[action]} failed: ${errorMessage(err)}` });
      setAsking(undefined);
      return;
    }
    const done = answer.results.filter((r) => r.result === 'done').length;
    const severity = answer.error || done === 0 ? 'error' : done < answer.results.length ? 'warning' : 'success';
    setOutcome({
      severity,
      text: outcomeSummary(answer, action, targets),
      note: answer.audit.annotations ? undefined : answer.audit.note,
    });
    setAsking(undefined);
    setReason('');
    if (done > 0) {
      onDone?.();
    }
  };

  return (
    <div className={styles.bar}>
      <Stack direction="row" gap={1} wrap="wrap" alignItems="center">
        {actions.map((action) => {
          const why = disabledReason(action, targets, capabilities, noTargets);
          const button = (
            <Button
              size="sm"
              variant={action === 'cancel' || action === 'drain' ? 'destructive' : 'secondary'}
              disabled={Boolean(why)}
              aria-describedby={why ? `why-${action}` : undefined}
              onClick={() => {
                setOutcome(undefined);
                setReason('');
                setAsking(action);
              }}
            >
              {ACTION_LABELS[action]}
              {targets.length > 1 ? ` ${targets.length}` : ''}
            </Button>
          );
          return why ? (
            <Tooltip key={action} content={why} placement="top">
              {/* A disabled button gets no pointer events: the wrapper carries the tooltip. */}
              <span className={styles.disabled} data-testid={`action-${action}`}>
                {button}
                <span id={`why-${action}`} hidden>
                  {why}
                </span>
              </span>
            </Tooltip>
          ) : (
            <span key={action} data-testid={`action-${action}`}>
              {button}
            </span>
          );
        })}
      </Stack>
      {outcome && (
        <Alert
          severity={outcome.severity}
          title={outcome.text}
          onRemove={() => setOutcome(undefined)}
          className={styles.outcome}
        >
          {outcome.note && (
            <Text variant="bodySmall" color="secondary">
              {outcome.note}
            </Text>
          )}
        </Alert>
      )}
      {asking && (
        <ConfirmModal
          isOpen
          title={confirmTitle(asking, targets)}
          confirmText={`${ACTION_LABELS[asking]} ${targetsText(asking, targets)}`}
          confirmButtonVariant={asking === 'cancel' || asking === 'drain' ? 'destructive' : 'primary'}
          disabled={Boolean(problem && (needsReason || reason !== ''))}
          body={
            <Stack direction="column" gap={2}>
              <Text>{effectText(asking)}</Text>
              {targets.length > 1 && (
                <Text color="secondary" variant="bodySmall">
                  {targets.slice(0, 12).join(', ')}
                  {targets.length > 12 ? ` and ${targets.length - 12} more` : ''}
                </Text>
              )}
              <Field
                label={needsReason ? 'Reason' : 'Reason (optional, kept in the audit)'}
                description="Shown with the action in the audit log and its annotation"
                invalid={Boolean(problem && (needsReason || reason !== ''))}
                error={problem}
                required={needsReason}
              >
                <Input
                  id="slurm-action-reason"
                  value={reason}
                  maxLength={MAX_REASON + 1}
                  placeholder={needsReason ? 'e.g. fan failure, replacing PSU' : ''}
                  onChange={(e) => setReason(e.currentTarget.value)}
                />
              </Field>
            </Stack>
          }
          onConfirm={confirm}
          onDismiss={() => setAsking(undefined)}
        />
      )}
    </div>
  );
}

const getStyles = (theme: GrafanaTheme2) => ({
  bar: css({ display: 'flex', flexDirection: 'column', gap: theme.spacing(1) }),
  disabled: css({ display: 'inline-block', cursor: 'not-allowed' }),
  outcome: css({ marginBottom: 0 }),
});
