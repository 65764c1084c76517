import React, { type ChangeEvent } from 'react';
import { InlineField, Input } from '@grafana/ui';
import { DEFAULT_LIMIT } from '../../types';
import { validateLimit } from './validation';

interface Props {
  limit: number | undefined;
  maxRows: number;
  onChange: (limit: number | undefined) => void;
  onBlur: () => void;
  id: string;
}

/** Rows to return; empty means the default. An invalid value is shown with its rule and not run. */
export function LimitField({ limit, maxRows, onChange, onBlur, id }: Props) {
  const error = validateLimit(limit, maxRows);
  return (
    <InlineField
      label="Limit"
      labelWidth={14}
      tooltip={`Rows returned, 1 to ${maxRows}; the frame's meta still counts every match`}
      invalid={Boolean(error)}
      error={error}
      htmlFor={id}
    >
      <Input
        id={id}
        type="number"
        width={14}
        placeholder={String(DEFAULT_LIMIT)}
        value={limit === undefined ? '' : String(limit)}
        onChange={(e: ChangeEvent<HTMLInputElement>) => {
          const raw = e.target.value.trim();
          onChange(raw === '' ? undefined : Number(raw));
        }}
        onBlur={onBlur}
      />
    </InlineField>
  );
}
