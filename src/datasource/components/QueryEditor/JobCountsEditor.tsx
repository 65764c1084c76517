import React from 'react';
import { InlineFieldRow } from '@grafana/ui';
import { JOB_GROUP_BY_KEYS, type JobCountsQuery } from '../../types';
import type { TypedEditorProps } from './editorProps';
import { GroupByField } from './GroupByField';
import { JobFiltersFields } from './JobFiltersFields';

/** `job_counts`: a numeric long frame, one `count` per group, for panels and alert rules. */
export function JobCountsEditor({ datasource, query, onChange, onEdit }: TypedEditorProps<JobCountsQuery>) {
  return (
    <>
      <JobFiltersFields datasource={datasource} query={query} onChange={onChange} onEdit={onEdit} />
      <InlineFieldRow>
        <GroupByField
          id={`slurm-job-counts-group-by-${query.refId}`}
          keys={JOB_GROUP_BY_KEYS}
          groupBy={query.groupBy}
          onChange={(groupBy) => onChange({ ...query, groupBy })}
        />
      </InlineFieldRow>
    </>
  );
}
