import React from 'react';
import { formatDuration, formatTime, timeOf } from '../../frames/frameRows';

interface Props {
  submit: unknown;
  eligible: unknown;
  start: unknown;
  end: unknown;
  /** False while the job runs or waits: its end_time is then Slurm's projected end (start + limit). */
  finished: boolean;
  /** Now, for the running part of a job that has not ended (a parameter so tests are deterministic). */
  now: number;
}

const STEPS = ['Submitted', 'Eligible', 'Started', 'Ended'] as const;

/** Submit → eligible → start → end, with how long each step took; unset steps show as not reached. */
export function JobTimeline({ submit, eligible, start, end, finished, now }: Props) {
  const times = [submit, eligible, start, finished ? end : null].map(timeOf);
  const projectedEnd = finished ? null : timeOf(end);
  return (
    <ol aria-label="Job timeline" style={{ display: 'flex', gap: 16, listStyle: 'none', padding: 0, flexWrap: 'wrap' }}>
      {STEPS.map((step, i) => {
        const t = times[i];
        const previous = i > 0 ? times[i - 1] : null;
        const took = t !== null && previous !== null ? formatDuration(t - previous) : null;
        const running = i === 3 && t === null && times[2] !== null ? formatDuration(now - times[2]!) : null;
        return (
          <li key={step} aria-label={step} style={{ opacity: t === null ? 0.5 : 1 }}>
            <strong>{step}</strong>
            <div>{t === null ? 'not yet' : formatTime(t)}</div>
            {took && <small>after {took}</small>}
            {running && <small>running for {running}</small>}
            {i === 3 && projectedEnd !== null && <div>time limit at {formatTime(projectedEnd)}</div>}
          </li>
        );
      })}
    </ol>
  );
}
