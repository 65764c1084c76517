import { waitFor } from '@testing-library/react';
import {
  createTheme,
  LoadingState,
  fieldMatchers,
  getFieldDisplayValues,
  getFieldDisplayName,
  type DataFrame,
  type DataLink,
  type Field,
  type FieldConfigSource,
} from '@grafana/data';
import { sceneGraph, VizPanel, type SceneObject } from '@grafana/scenes';

/** The scene of the page on screen: Scenes registers the active EmbeddedScene on window for Grafana core. */
export function activeScene(): SceneObject {
  const scene = (window as unknown as { __grafanaSceneContext?: SceneObject }).__grafanaSceneContext;
  if (!scene) {
    throw new Error('no active scene: render a page first');
  }
  return scene;
}

/** The panel of the active page with this title. */
export function panelTitled(title: string): VizPanel {
  const panel = sceneGraph.findObject(activeScene(), (o) => o instanceof VizPanel && o.state.title === title);
  if (!(panel instanceof VizPanel)) {
    throw new Error(`no panel titled ${title}`);
  }
  return panel;
}

/**
 * The panel of the active page with this title once its data has arrived (the query answered and the panel's
 * transformations ran): what the panel itself would draw.
 */
export async function answeredPanel(title: string): Promise<VizPanel> {
  const panel = await waitFor(() => panelTitled(title));
  await waitFor(() => expect(sceneGraph.getData(panel).state.data?.state).toBe(LoadingState.Done));
  return panel;
}

/** The frame a table panel shows: the first of the data it received. */
function tableFrame(panel: VizPanel): DataFrame {
  const frame = sceneGraph.getData(panel).state.data?.series[0];
  if (!frame) {
    throw new Error(`panel ${panel.state.title} has no data: await answeredPanel first`);
  }
  return frame;
}

/** The overrides of `config` that apply to `field`, matched by Grafana's own field matchers. */
function matchingProperties(config: FieldConfigSource, field: Field, frame: DataFrame) {
  return config.overrides
    .filter((o) => fieldMatchers.get(o.matcher.id).get(o.matcher.options)(field, frame, [frame]))
    .flatMap((o) => o.properties);
}

/** What a Grafana table shows of a field once the backend's config and the panel's overrides apply. */
export interface TableColumn {
  name: string;
  title: string;
  hidden: boolean;
  unit?: string;
  /** The backend's links and the panel's (Grafana 12.4 shows both; more than one opens a menu). */
  links: DataLink[];
}

/** The columns of a table panel's own data, as Grafana's table would show them. */
export function tableColumns(panel: VizPanel): TableColumn[] {
  const config = panel.state.fieldConfig;
  const frame = tableFrame(panel);
  return frame.fields.map((field) => {
    const column: TableColumn = {
      name: field.name,
      title: getFieldDisplayName(field, frame, [frame]),
      hidden: field.config.custom?.hideFrom?.viz === true,
      unit: field.config.unit,
      links: [...(field.config.links ?? [])],
    };
    for (const p of matchingProperties(config, field, frame)) {
      if (p.id === 'custom.hideFrom') {
        column.hidden = p.value?.viz === true;
      } else if (p.id === 'links') {
        column.links.push(...(p.value ?? []));
      } else if (p.id === 'unit') {
        column.unit = p.value;
      }
    }
    return column;
  });
}

/** The titles of the columns a table shows, in order. */
export function visibleTitles(panel: VizPanel): string[] {
  return tableColumns(panel)
    .filter((c) => !c.hidden)
    .map((c) => c.title);
}

/**
 * What is wrong with a query that is about to leave: variables left unresolved, an empty node regex, an
 * operator with nothing after it, a node placeholder. Prometheus answers each with a 400.
 */
export function unresolvedParts(expr: string): string[] {
  const problems: string[] = [];
  // Grafana's own interval variables are resolved by the Prometheus data source itself.
  const variable = /\$\{?(?!__rate_interval\b|__interval\b|__range\b)[A-Za-z_]\w*/.exec(expr);
  if (variable) {
    problems.push(`variable ${variable[0]}`);
  }
  if (/=~?""/.test(expr)) {
    problems.push('empty matcher');
  }
  // Operators outside string literals (a regex such as "(:.*)?" is not one).
  const code = expr.replace(/"(?:[^"\\]|\\.)*"/g, '"s"');
  if (/[-+*/]\s*(\)|$)/.test(code)) {
    problems.push('operator without a right-hand side');
  }
  if (expr.includes('__NODE__')) {
    problems.push('node placeholder');
  }
  return problems;
}

/**
 * The bars (or stats) a bar gauge or stat panel draws from its current data: title and number, computed by
 * Grafana's own getFieldDisplayValues with the panel's reduce options and overrides (row colours included).
 */
export function displayedValues(panel: VizPanel): Array<{ title: string; value: number; color?: string }> {
  const data = sceneGraph.getData(panel).state.data;
  const options = panel.state.options as {
    reduceOptions: Parameters<typeof getFieldDisplayValues>[0]['reduceOptions'];
  };
  return getFieldDisplayValues({
    data: data?.series ?? [],
    reduceOptions: options.reduceOptions,
    fieldConfig: panel.state.fieldConfig,
    replaceVariables: (s) => s,
    theme: createTheme(),
  })
    .filter((d) => d.display.numeric !== undefined && d.display.title !== undefined)
    .map((d) => ({ title: d.display.title!, value: d.display.numeric, color: d.display.color }));
}
