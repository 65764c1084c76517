import React, { type ChangeEvent } from 'react';
import { InlineField, Input } from '@grafana/ui';
import { validateLimit } from './validation';

interface Props {
  limit: number | undefined;
  maxRows: number;
  onChange: (limit: number | undefined) => void;
  onBlur: () => void;
  id: string;
}

/**
 * Rows to return; empty sends no limit and the backend returns up to the data source's maximum rows (shown as the
 * placeholder). An invalid value is shown with its rule and not run.
 */
export function LimitField({ limit, maxRows, onChange, onBlur, id }: Props) {
  const error = validateLimit(limit, maxRows);
  return (
    <InlineField
      label="Limit"
      labelWidth={14}
      tooltip={`Rows returned, 1 to ${maxRows}; empty returns up to ${maxRows}. The frame's meta still counts every match`}
      invalid={Boolean(error)}
      error={error}
      htmlFor={id}
    >
      <Input
        id={id}
        type="number"
        width={14}
        placeholder={String(maxRows)}
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
