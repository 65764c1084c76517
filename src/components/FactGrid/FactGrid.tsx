import React from 'react';
import { css } from '@emotion/css';
import type { GrafanaTheme2 } from '@grafana/data';
import { useStyles2 } from '@grafana/ui';

export interface Fact {
  label: string;
  /** Shown as is; empty values show as a dash. */
  value: React.ReactNode;
}

/**
 * A record's facts as label-over-value cells that fill the page's width (a job's or node's Slurm fields):
 * a single label/value column left most of a wide page empty and pushed the panels below the fold.
 */
export function FactGrid({ facts, label }: { facts: Fact[]; label: string }) {
  const styles = useStyles2(getStyles);
  return (
    <dl aria-label={label} className={styles.grid}>
      {facts.map(({ label: name, value }) => (
        <div key={name} className={styles.cell}>
          <dt className={styles.label}>{name}</dt>
          <dd className={styles.value}>{value === null || value === undefined || value === '' ? '—' : value}</dd>
        </div>
      ))}
    </dl>
  );
}

const getStyles = (theme: GrafanaTheme2) => ({
  grid: css({
    display: 'grid',
    gridTemplateColumns: 'repeat(auto-fill, minmax(180px, 1fr))',
    gap: theme.spacing(1.5, 2),
    margin: theme.spacing(0, 0, 2, 0),
  }),
  cell: css({ minWidth: 0 }),
  label: css({ color: theme.colors.text.secondary, fontSize: theme.typography.bodySmall.fontSize }),
  value: css({ margin: 0, overflowWrap: 'anywhere' }),
});
