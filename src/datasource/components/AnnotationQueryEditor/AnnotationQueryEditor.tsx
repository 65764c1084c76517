import React from 'react';
import type { QueryEditorProps } from '@grafana/data';
import { InlineField, InlineFieldRow, RadioButtonGroup, Stack } from '@grafana/ui';
import type { DataSource } from '../../datasource';
import {
  QUERY_DEFAULTS,
  type AnnotationKind,
  type AnnotationsQuery,
  type SlurmDataSourceOptions,
  type SlurmQuery,
} from '../../types';
import { FilterField } from '../QueryEditor/FilterField';
import { JobIdsField } from '../QueryEditor/JobIdsField';

type Props = QueryEditorProps<DataSource, SlurmQuery, SlurmDataSourceOptions>;

const KIND_OPTIONS: Array<{ label: string; value: AnnotationKind; description: string }> = [
  { label: 'Job start and end', value: 'jobs', description: 'A mark when each job started and when it ended' },
  { label: 'Reservations', value: 'reservations', description: 'Each reservation as a time region' },
  { label: 'Node DOWN/DRAIN reasons', value: 'node_reasons', description: 'When a reason was set on a node' },
];

type ListKey = 'users' | 'partitions' | 'nodes';

/** Which filters each kind takes. */
const FILTERS: Record<AnnotationKind, ListKey[]> = {
  jobs: ['users', 'partitions', 'nodes'],
  reservations: ['users', 'partitions', 'nodes'],
  node_reasons: ['partitions', 'nodes'],
};

const LABELS: Record<ListKey, string> = { users: 'Users', partitions: 'Partitions', nodes: 'Nodes' };

/** Slurm events on a dashboard's graphs: jobs, reservations, node reasons. */
export function AnnotationQueryEditor({ datasource, query, onChange }: Props) {
  const current: AnnotationsQuery = {
    ...QUERY_DEFAULTS.annotations,
    ...(query as Partial<AnnotationsQuery>),
    refId: query?.refId || 'Anno',
    queryType: 'annotations',
  };
  const kind = current.kind ?? 'jobs';

  const setKind = (next: AnnotationKind) => {
    const keep: AnnotationsQuery = { refId: current.refId, queryType: 'annotations', kind: next };
    for (const key of FILTERS[next]) {
      if (current[key]?.length) {
        keep[key] = current[key];
      }
    }
    if (next === 'jobs' && current.jobIds?.length) {
      keep.jobIds = current.jobIds;
    }
    onChange(keep);
  };

  return (
    <Stack direction="column" gap={1}>
      <InlineField label="Show" labelWidth={14}>
        <RadioButtonGroup<AnnotationKind> options={KIND_OPTIONS} value={kind} onChange={setKind} />
      </InlineField>
      <InlineFieldRow>
        {FILTERS[kind].map((key) => (
          <FilterField
            key={key}
            id={`slurm-annotation-${key}`}
            datasource={datasource}
            label={LABELS[key]}
            kind={key}
            values={current[key]}
            onChange={(values) => onChange({ ...current, [key]: values })}
          />
        ))}
        {kind === 'jobs' && (
          <JobIdsField jobIds={current.jobIds} onChange={(jobIds) => onChange({ ...current, jobIds })} />
        )}
      </InlineFieldRow>
    </Stack>
  );
}
