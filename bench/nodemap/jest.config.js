// The node-map benchmark runs with the app's jest setup (jsdom, canvas mock, Grafana's packages) but is
// kept out of `npm test`: it measures, and a loaded machine should not turn a measurement into a failure
// of the unit tests. Run: npx jest -c bench/nodemap/jest.config.js
const base = require('../../jest.config');

module.exports = {
  ...base,
  rootDir: '../..',
  testMatch: ['<rootDir>/bench/nodemap/**/*.bench.tsx'],
};
