import React from 'react';
import { InlineField, TagsInput } from '@grafana/ui';
import { asList, type StringList } from '../../types';
import { validateJobIds } from './validation';

interface Props {
  jobIds: StringList | undefined;
  onChange: (jobIds: string[]) => void;
}

/** Job ids typed one by one (Enter after each): 123, or 123_4 for an array task. */
export function JobIdsField({ jobIds, onChange }: Props) {
  const error = validateJobIds(jobIds);
  return (
    <InlineField
      label="Job ids"
      labelWidth={14}
      tooltip="123, or 123_4 for one task of an array job; Enter after each"
      invalid={Boolean(error)}
      error={error}
    >
      <TagsInput tags={asList(jobIds)} placeholder="Job id, then Enter" width={40} onChange={onChange} />
    </InlineField>
  );
}
