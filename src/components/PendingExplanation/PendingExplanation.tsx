import React from 'react';
import { css } from '@emotion/css';
import { dateTimeFormat, formattedValueToString, getValueFormat, type GrafanaTheme2 } from '@grafana/data';
import { Alert, TextLink, useStyles2 } from '@grafana/ui';
import type { PendingAnswer, PendingExplanation } from '../../api/pendingExplanation';
import { FactGrid, type Fact } from '../FactGrid/FactGrid';

const mb = (v: number) => formattedValueToString(getValueFormat('decmbytes')(v, 1));
const minutes = (m: number | null) => (m === null ? '' : formattedValueToString(getValueFormat('m')(m, 0)));

/** What the job asks for, beside what its partition has idle now and at most per node. */
function requestFacts(e: PendingExplanation): Fact[] {
  const r = e.request;
  const p = e.partition;
  const facts: Fact[] = [
    { label: 'Asks for nodes', value: String(r.nodes) },
    { label: 'CPUs (per node)', value: `${r.cpus} (${r.cpusPerNode})` },
    { label: 'GPUs (per node)', value: r.gpus > 0 ? `${r.gpus} (${r.gpusPerNode})` : '0' },
    { label: 'Memory per node', value: r.memoryPerNodeMB > 0 ? mb(r.memoryPerNodeMB) : '' },
    { label: 'Time limit', value: r.timeLimitUnlimited ? 'unlimited' : minutes(r.timeLimitMinutes) },
    { label: 'Partition', value: r.partition },
    { label: 'QOS', value: r.qos },
    { label: 'Account', value: r.account },
  ];
  if (r.features) {
    facts.push({ label: 'Features', value: r.features });
  }
  if (r.licenses) {
    facts.push({ label: 'Licenses', value: r.licenses });
  }
  if (p) {
    facts.push(
      { label: `Idle CPUs in ${p.name}`, value: `${p.idleCPUs} of ${p.totalCPUs}` },
      { label: `Idle GPUs in ${p.name}`, value: p.totalGPUs > 0 ? `${p.idleGPUs} of ${p.totalGPUs}` : 'none there' },
      { label: `Free memory in ${p.name}`, value: mb(p.freeMemoryMB) },
      { label: 'Usable nodes', value: `${p.usableNodes} of ${p.nodes}` },
      { label: 'Nodes with room for it now', value: p.nodesWithRoom >= 0 ? String(p.nodesWithRoom) : '' },
      {
        label: 'Largest node',
        value: `${p.maxCPUsPerNode} CPUs, ${p.maxGPUsPerNode} GPUs, ${mb(p.maxMemoryPerNodeMB)}`,
      },
      { label: `Max time in ${p.name}`, value: minutes(p.maxTimeMinutes) }
    );
  }
  return facts;
}

function limitFacts(e: PendingExplanation): Fact[] {
  const l = e.limit!;
  const unit = (v: number | null) => (v === null ? '' : `${v} ${l.unit}`);
  return [
    { label: 'Limit', value: l.label },
    { label: 'Set to', value: unit(l.value) },
    { label: 'In use now', value: unit(l.used) },
    { label: 'This job adds', value: `${l.requested} ${l.unit}` },
    { label: 'Counted over', value: l.usedBy },
  ];
}

function queueFacts(e: PendingExplanation): Fact[] {
  const q = e.queue!;
  return [
    { label: 'Place in the partition’s queue', value: `${q.rank} of ${q.of}` },
    { label: `Jobs ahead asking for ${q.kind}`, value: String(q.aheadSameKind) },
    { label: 'Priority', value: q.priority === null ? '' : String(q.priority) },
    { label: 'Fair-share factor', value: q.fairShare === null ? '' : q.fairShare.toFixed(3) },
  ];
}

interface Props {
  answer: PendingAnswer;
  /** Link to another job's page (the jobs this one depends on). */
  jobHref: (jobId: string) => string;
}

/** "Why it is pending": Slurm's reason explained, with the numbers behind it and what would help. */
export function PendingExplanationView({ answer, jobHref }: Props) {
  const styles = useStyles2(getStyles);
  const e = answer.explanation;
  return (
    <section aria-label="Why it is pending" className={styles.section}>
      <h3>Why it is pending</h3>
      <Alert severity={e.canEverStart ? 'info' : 'warning'} title={e.categoryTitle}>
        <p className={styles.summary}>{e.summary}</p>
        <p className={styles.reason}>
          Slurm&apos;s reason: <code>{e.detail || e.reason}</code> — {e.meaning}
        </p>
        {e.expectedStart && (
          <p className={styles.reason}>
            Slurm expects it to start {dateTimeFormat(e.expectedStart, { format: 'YYYY-MM-DD HH:mm' })}.
          </p>
        )}
      </Alert>
      {!e.canEverStart && (
        <>
          <h4>Can never start as submitted</h4>
          <ul aria-label="What makes it impossible">
            {e.blockers.map((b) => (
              <li key={b}>{b}</li>
            ))}
          </ul>
        </>
      )}
      <FactGrid label="What it asks for and what the partition has" facts={requestFacts(e)} />
      {e.limit && (
        <>
          <h4>Limit</h4>
          <p>{e.limit.text}</p>
          <FactGrid label="Limit" facts={limitFacts(e)} />
        </>
      )}
      {e.dependencies.length > 0 && (
        <>
          <h4>Waits for</h4>
          <ul aria-label="Jobs it waits for">
            {e.dependencies.map((d) => (
              <li key={`${d.type}:${d.jobId}`}>
                {d.jobId ? <TextLink href={jobHref(d.jobId)}>{`Job ${d.jobId}`}</TextLink> : null} {d.text}
              </li>
            ))}
          </ul>
        </>
      )}
      {e.reservation && (
        <>
          <h4>Reservation</h4>
          <p>{e.reservation.text}</p>
        </>
      )}
      {e.queue && <FactGrid label="Queue" facts={queueFacts(e)} />}
      {e.help.length > 0 && (
        <>
          <h4>What would help</h4>
          <ul aria-label="What would help">
            {e.help.map((h) => (
              <li key={h}>{h}</li>
            ))}
          </ul>
        </>
      )}
      {[...e.notes, ...answer.warnings].map((n) => (
        <p key={n} className={styles.note}>
          {n}
        </p>
      ))}
    </section>
  );
}

const getStyles = (theme: GrafanaTheme2) => ({
  section: css({ marginBottom: theme.spacing(2) }),
  summary: css({ fontSize: theme.typography.body.fontSize, marginBottom: theme.spacing(0.5) }),
  reason: css({ color: theme.colors.text.secondary, marginBottom: 0 }),
  note: css({ color: theme.colors.text.secondary, fontSize: theme.typography.bodySmall.fontSize }),
});
