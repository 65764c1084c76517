import { DataSourcePlugin } from '@grafana/data';
import { DataSource } from './datasource';
import { ConfigEditor } from './components/ConfigEditor/ConfigEditor';
import { QueryEditor } from './components/QueryEditor/QueryEditor';
import type { SlurmDataSourceOptions, SlurmQuery, SlurmSecureJsonData } from './types';

export const plugin = new DataSourcePlugin<DataSource, SlurmQuery, SlurmDataSourceOptions, SlurmSecureJsonData>(
  DataSource
)
  .setConfigEditor(ConfigEditor)
  .setQueryEditor(QueryEditor);
