import { lastValueFrom } from 'rxjs';
import { getBackendSrv } from '@grafana/runtime';
import type { VariableKind, VariableOption } from './types';

/** Grafana proxies GET resource calls of a backend data source under this path (pkg/plugin handler_resources.go). */
export function resourceUrl(datasourceUid: string, path: string): string {
  return `/api/datasources/uid/${encodeURIComponent(datasourceUid)}/resources/${path}`;
}

/** GET one of the data source's resource routes and read its JSON answer. */
export async function getResourceJson<T>(datasourceUid: string, path: string, params?: Record<string, string>) {
  // showErrorAlert: callers show their own message; Grafana's global toast would repeat it on every poll.
  const response = await lastValueFrom(
    getBackendSrv().fetch<T>({
      url: resourceUrl(datasourceUid, path),
      params,
      method: 'GET',
      showErrorAlert: false,
      showSuccessAlert: false,
    })
  );
  return response.data;
}

/** What narrows a list: nodes of a partition or in a state; states of jobs or of nodes only. */
export interface VariableParams {
  partition?: string;
  state?: string;
  of?: 'jobs' | 'nodes';
}

/**
 * The values of one kind the backend lists from its snapshot (`variables/<kind>`, [{text, value}]): the one
 * client of that route, for template variables, the editors' filter options and the pages' filters.
 */
export async function fetchVariableOptions(
  datasourceUid: string,
  kind: VariableKind,
  { partition, state, of }: VariableParams = {}
): Promise<VariableOption[]> {
  const search: Record<string, string> = {};
  if (kind === 'nodes' && partition) {
    search.partition = partition;
  }
  if (kind === 'nodes' && state) {
    search.state = state;
  }
  if (kind === 'states' && of) {
    search.of = of;
  }
  const answer = await getResourceJson<VariableOption[] | null>(
    datasourceUid,
    `variables/${kind}`,
    Object.keys(search).length > 0 ? search : undefined
  );
  return Array.isArray(answer) ? answer : [];
}
