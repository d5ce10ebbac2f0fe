const defaults = {
  host: "localhost",
  port: 8080,
  debug: false,
};

function load(overrides) {
  return Object.assign({}, defaults, overrides);
}

module.exports = { load };
