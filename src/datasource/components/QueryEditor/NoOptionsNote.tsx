import React from 'react';
import { Text } from '@grafana/ui';

/** For query types that take no options: say what comes back instead of an empty row. */
export function NoOptionsNote({ children }: { children: string }) {
  return (
    <Text color="secondary" element="p">
      {children}
    </Text>
  );
}
