const defaults = {
  host: "localhost",
  port: 8080,
  timeoutMs: 5000,
  debug: false,
};

function load(overrides) {
  return Object.freeze(Object.assign({}, defaults, overrides));
}

module.exports = { load };
