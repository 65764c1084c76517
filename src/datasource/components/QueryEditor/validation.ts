import {
  JOB_GROUP_BY_KEYS,
  JOB_SORT_FIELDS,
  NODE_GROUP_BY_KEYS,
  PENDING_GROUP_BY_KEYS,
  asList,
  type SlurmQuery,
  type StringList,
} from '../../types';

/** Checks a row limit as typed; undefined means it is fine (absent = up to the data source's maximum rows). */
export function validateLimit(limit: number | undefined, maxRows: number): string | undefined {
  if (limit === undefined) {
    return undefined;
  }
  if (!Number.isInteger(limit)) {
    return 'Limit must be a whole number of rows';
  }
  if (limit < 1) {
    return 'Limit must be at least 1 row';
  }
  if (limit > maxRows) {
    return `Limit must be at most ${maxRows} rows (this data source's maximum rows setting)`;
  }
  return undefined;
}

/** A count query needs at least one key to group by, each one it knows. */
export function validateGroupBy(
  groupBy: readonly string[] | undefined,
  allowed: readonly string[]
): string | undefined {
  if (groupBy === undefined) {
    return undefined; // the default grouping applies
  }
  if (groupBy.length === 0) {
    return `Group by needs at least one of: ${allowed.join(', ')}`;
  }
  const unknown = groupBy.filter((key) => !allowed.includes(key));
  if (unknown.length > 0) {
    return `Cannot group by ${unknown.join(', ')}: use ${allowed.join(', ')}`;
  }
  return undefined;
}

export function validateSortField(field: string | undefined): string | undefined {
  if (field === undefined || field === '') {
    return undefined;
  }
  return (JOB_SORT_FIELDS as readonly string[]).includes(field)
    ? undefined
    : `Cannot sort by "${field}": use one of ${JOB_SORT_FIELDS.join(', ')}`;
}

/** Job ids as Slurm writes them: 123, or 123_4 for an array task; a dashboard variable is also fine. */
export function validateJobIds(ids: StringList | undefined): string | undefined {
  const bad = asList(ids).filter((id) => !/^\d+(_\d+)?$/.test(id) && !id.startsWith('$'));
  return bad.length > 0 ? `Job ids must be numbers like 123 or 123_4 (an array task): ${bad.join(', ')}` : undefined;
}

/** The first problem that would make the backend refuse this query, if any; such a query is not run. */
export function validateQuery(query: SlurmQuery, maxRows: number): string | undefined {
  switch (query.queryType) {
    case 'jobs':
      return (
        validateLimit(query.limit, maxRows) ?? validateSortField(query.sort?.field) ?? validateJobIds(query.jobIds)
      );
    case 'job_counts':
      return validateGroupBy(query.groupBy, JOB_GROUP_BY_KEYS) ?? validateJobIds(query.jobIds);
    case 'node_counts':
      return validateGroupBy(query.groupBy, NODE_GROUP_BY_KEYS);
    case 'job_history':
      return validateLimit(query.limit, maxRows);
    case 'pending':
      if (query.format === 'facts') {
        return query.jobId?.trim() ? undefined : 'Enter the id of the pending job to explain';
      }
      return (
        (query.format === 'counts' ? validateGroupBy(query.groupBy, PENDING_GROUP_BY_KEYS) : undefined) ??
        validateLimit(query.limit, maxRows) ??
        validateJobIds(query.jobIds)
      );
    default:
      return undefined;
  }
}
