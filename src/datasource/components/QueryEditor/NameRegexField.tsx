import React, { type ChangeEvent } from 'react';
import { InlineField, Input } from '@grafana/ui';

const PLACEHOLDERS = { job: '^train-', node: '^gpu[0-9]+', reservation: '^maint' };

interface Props {
  value: string | undefined;
  what: 'job' | 'node' | 'reservation';
  id: string;
  onEdit: (value: string | undefined) => void;
  onDone: () => void;
}

/** A regular expression on the name, checked by the backend (RE2); runs when the field loses focus. */
export function NameRegexField({ value, what, id, onEdit, onDone }: Props) {
  return (
    <InlineField
      label="Name regex"
      labelWidth={14}
      tooltip={`RE2 regular expression on the ${what} name, e.g. ^train-`}
      htmlFor={id}
    >
      <Input
        id={id}
        width={30}
        value={value ?? ''}
        placeholder={PLACEHOLDERS[what]}
        onChange={(e: ChangeEvent<HTMLInputElement>) => onEdit(e.target.value === '' ? undefined : e.target.value)}
        onBlur={onDone}
      />
    </InlineField>
  );
}
