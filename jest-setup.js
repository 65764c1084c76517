// Jest setup provided by Grafana scaffolding
import './.config/jest-setup';

// The generated setup stubs canvas getContext with nothing; @grafana/ui measures text on a canvas
// (Combobox widths), so a real 2D-context mock is needed.
import 'jest-canvas-mock';

// jsdom has no IntersectionObserver; Scenes uses it to render panels lazily. This stub reports every
// observed element as visible at once, so panels render as they would on screen.
class IntersectionObserverStub {
  constructor(callback) {
    this.callback = callback;
  }
  observe(target) {
    this.callback([{ isIntersecting: true, target, intersectionRatio: 1 }], this);
  }
  unobserve() {}
  disconnect() {}
  takeRecords() {
    return [];
  }
}
Object.defineProperty(global, 'IntersectionObserver', { writable: true, value: IntersectionObserverStub });

// jsdom has no ResizeObserver either; panels measure themselves with it.
class ResizeObserverStub {
  observe() {}
  unobserve() {}
  disconnect() {}
}
Object.defineProperty(global, 'ResizeObserver', { writable: true, value: ResizeObserverStub });

// jsdom does no layout: every box is 0×0, so virtualized lists (Combobox menus) render no rows and
// auto-sized panels render nothing. Give elements a plausible box, as Grafana's own Combobox tests do.
Object.defineProperty(Element.prototype, 'getBoundingClientRect', {
  configurable: true,
  value: () => ({ x: 0, y: 0, width: 400, height: 300, top: 0, left: 0, bottom: 300, right: 400, toJSON: () => ({}) }),
});
// The virtualizer behind Combobox (@tanstack/virtual-core) sizes its viewport from clientWidth/clientHeight.
Object.defineProperty(HTMLElement.prototype, 'clientHeight', { configurable: true, get: () => 300 });
Object.defineProperty(HTMLElement.prototype, 'clientWidth', { configurable: true, get: () => 400 });

// Grafana registers its standard data transformations when it boots; panels that transform their data
// (groupBy, organize, …) look them up there. Register the real ones from @grafana/data the same way.
import { standardTransformers, standardTransformersRegistry } from '@grafana/data';
// standardTransformers lists a few transformations twice under different keys (aliases); register each once.
standardTransformersRegistry.setInit(() =>
  [...new Map(Object.values(standardTransformers).map((t) => [t.id, t])).values()].map((transformation) => ({
    id: transformation.id,
    aliasIds: transformation.aliasIds,
    name: transformation.name,
    description: transformation.description,
    transformation,
    editor: () => null,
  }))
);

// CI runs on a loaded 2-core machine where a Scenes page can take well over a second to mount
// its variable pickers; Testing Library's default 1 s for findBy*/waitFor turned that into
// flaky failures. A longer bound still fails a test whose element never appears. This and
// jest.config.js's testTimeout are the only bounds: test files once set lower ones of their own
// (5 s waits, 30 s tests, while an editor test takes 9 s on a loaded machine), which failed under load.
require('@testing-library/react').configure({ asyncUtilTimeout: 10000 });

// console.error during a test fails it: React's act, key and prop-type warnings and a panel's failed query
// all arrive there, and silencing it once hid them. The message is still printed where it happened.
const { format } = require('util');
const printError = console.error;
let loggedErrors = [];
console.error = (...args) => {
  loggedErrors.push(format(...args));
  printError(...args);
};
beforeEach(() => {
  loggedErrors = [];
});
afterEach(() => {
  const errors = loggedErrors;
  loggedErrors = [];
  if (errors.length > 0) {
    throw new Error(`console.error was called during the test:\n${errors.map((e) => e.split('\n')[0]).join('\n')}`);
  }
});
