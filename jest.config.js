// force timezone to UTC to allow tests to work regardless of local timezone
// generally used by snapshots, but can affect specific tests
process.env.TZ = 'UTC';

module.exports = {
  // Jest configuration provided by Grafana scaffolding
  ...require('./.config/jest.config'),
  // Page tests mount whole Scenes apps; on a loaded 2-core CI machine 5 s per test is too tight.
  testTimeout: 60000,
};
