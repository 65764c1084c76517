import React from 'react';
import { InlineField, InlineFieldRow, InlineSwitch, RadioButtonGroup } from '@grafana/ui';
import type { HistoryMetric, HistorySeriesQuery } from '../../types';
import { AccountingFiltersFields } from './AccountingFiltersFields';
import type { TypedEditorProps } from './editorProps';

const METRIC_OPTIONS: Array<{ label: string; value: HistoryMetric; description: string }> = [
  { label: 'Submitted', value: 'submitted', description: 'Jobs submitted per bucket' },
  { label: 'Started', value: 'started', description: 'Jobs started per bucket' },
  { label: 'Finished', value: 'finished', description: 'Jobs finished per bucket' },
  { label: 'Wait p50', value: 'wait_p50', description: 'Median queue wait (s) of jobs started per bucket' },
  { label: 'Wait p90', value: 'wait_p90', description: '90th percentile queue wait (s) per bucket' },
];

/** `history_series`: accounting over the dashboard range, bucketed into a time series. */
export function HistorySeriesEditor({ datasource, query, onChange }: TypedEditorProps<HistorySeriesQuery>) {
  const byPartition = query.groupBy?.includes('partition') ?? false;
  return (
    <>
      <InlineFieldRow>
        <InlineField label="Metric" labelWidth={14}>
          <RadioButtonGroup<HistoryMetric>
            options={METRIC_OPTIONS}
            value={query.metric ?? 'submitted'}
            onChange={(metric) => onChange({ ...query, metric })}
          />
        </InlineField>
        <InlineField
          label="Per partition"
          tooltip="One series per partition"
          htmlFor={`slurm-history-series-by-partition-${query.refId}`}
        >
          <InlineSwitch
            id={`slurm-history-series-by-partition-${query.refId}`}
            value={byPartition}
            onChange={(e) => onChange({ ...query, groupBy: e.currentTarget.checked ? ['partition'] : undefined })}
          />
        </InlineField>
      </InlineFieldRow>
      <AccountingFiltersFields datasource={datasource} query={query} onChange={onChange} />
    </>
  );
}
